// log public API
export {};
