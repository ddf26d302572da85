// server public API
