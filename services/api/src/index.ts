// Public surface of @sluice/api.
export {};
