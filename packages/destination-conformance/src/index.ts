// Public surface of @sluice/destination-conformance.
export { defineDestinationConformance, conformanceBatch } from './define-conformance.js';
export type { ConformanceOptions } from './define-conformance.js';
export { createFaultProxy } from './fault-proxy.js';
export type { FaultProxy, ProxiedRequest } from './fault-proxy.js';
export type { ConformanceHarness, RequestShape, SeenRequest } from './destination-under-test.js';
