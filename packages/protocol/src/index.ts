// protocol public API
