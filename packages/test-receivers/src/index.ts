// Public surface of @sluice/test-receivers: stand-ins for receivers that cannot be run here, for tests only.
export { startHecReceiver } from './hec-receiver.js';
export type { HecReceiver, HecReceiverOptions, ReceivedEvent, ReceivedRequest } from './hec-receiver.js';
export { createSelfSignedCertificate } from './self-signed-cert.js';
export type { SelfSignedCertificate } from './self-signed-cert.js';
export { splitConcatenatedJson } from './concatenated-json.js';
export type { SplitResult } from './concatenated-json.js';
