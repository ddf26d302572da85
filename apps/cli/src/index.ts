// cli public API
