// Public surface of @sluice/destination-conformance.
export { defineDestinationConformance, conformanceBatch } from './define-conformance.js';
export type { ConformanceOptions } from './define-conformance.js';
export { createFaultProxy } from './fault-proxy.js';
export type { FaultProxy } from './fault-proxy.js';
export type { ConformanceHarness } from './destination-under-test.js';
