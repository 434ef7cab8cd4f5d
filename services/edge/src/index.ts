// Public surface of @sluice/edge.
export { runLoadgen } from './loadgen/run-loadgen.js';
export type { LoadgenOptions, LoadgenSummary } from './loadgen/run-loadgen.js';
export { syntheticTraffic, syntheticZone } from './loadgen/synthetic-traffic.js';
export type { SyntheticRecord, SyntheticZone, TrafficOptions } from './loadgen/synthetic-traffic.js';
export { createRandom } from './loadgen/random.js';
export type { Random } from './loadgen/random.js';
export { recordToJson } from './loadgen/json-lines.js';
