// partition public API
