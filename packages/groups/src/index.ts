// groups public API
