// @sluice/cli is used through its `sluice` binary; nothing to import.
export {};
