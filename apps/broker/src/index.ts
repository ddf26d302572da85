// broker public API
