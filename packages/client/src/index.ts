// client public API
