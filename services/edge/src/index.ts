// Public surface of @sluice/edge.
export { runLoadgen } from './loadgen/run-loadgen.js';
export type { LoadgenOptions, LoadgenSummary } from './loadgen/run-loadgen.js';
export { syntheticTraffic, syntheticZone } from './loadgen/synthetic-traffic.js';
export type { SyntheticRecord, SyntheticZone, TrafficOptions } from './loadgen/synthetic-traffic.js';
export { createRandom } from './loadgen/random.js';
export type { Random } from './loadgen/random.js';
export { recordToJson } from './loadgen/json-lines.js';
// identity
export { createTokenVerifier, MAX_CACHED_MS } from './identity/token-verifier.js';
export type { TokenVerifier, TokenVerifierOptions } from './identity/token-verifier.js';
export type { IdentityErrorCode, UnverifiedClaims, VerifiedIdentity, VerifyResult } from './identity/verified-identity.js';
export { createJwksKeySource, KEYS_MAX_AGE_MS } from './identity/jwks-key-source.js';
export type { JwksKeySourceOptions, JwksLocation, KeySource } from './identity/jwks-key-source.js';
export { JwksInvalidError } from './identity/jwks-file.js';
export { JWT_COOKIE, JWT_HEADER, tokenFromRequest } from './identity/token-from-request.js';
export { compileAccessPolicy } from './identity/access-policy.js';
export type { AccessPolicy } from './identity/access-policy.js';
export { DEV_ISSUER, defaultDevKeyFile, loadOrCreateDevSigningKey } from './dev-identity/dev-signing-key.js';
export type { DevSigningKey, MintOptions } from './dev-identity/dev-signing-key.js';
export { DevKeyError } from './dev-identity/dev-key-file.js';
// gateway
export { loadEdgeConfig, EdgeConfigError } from './config/load-edge-config.js';
export { parseEdgeConfig, DEFAULT_LISTEN, DEFAULT_SPOOL_MAX_BYTES } from './config/parse-edge-config.js';
export type { ParseEdgeConfigOptions, ParseEdgeConfigResult } from './config/parse-edge-config.js';
export type { AppConfig, EdgeConfig, IdentityConfig, ListenAddress, SpoolConfig, TlsFiles } from './config/edge-config.js';
export { createEdgeGateway } from './gateway/edge-gateway.js';
export type { EdgeGateway, EdgeGatewayOptions } from './gateway/edge-gateway.js';
export { createEdgeMetrics } from './gateway/edge-metrics.js';
export type { EdgeMetrics } from './gateway/edge-metrics.js';
export { startEdge, EDGE_DATASETS } from './start-edge.js';
export type { RunningEdge, StartEdgeOptions } from './start-edge.js';
export { RAY_ID_HEADER } from './records/ray-id.js';
export { USER_HEADER, EMAIL_HEADER, JWT_ASSERTION_HEADER, CONNECTING_IP_HEADER } from './proxy/forward-headers.js';
export { forgedTokens } from './dev-identity/forged-tokens.js';
export type { ForgedToken } from './dev-identity/forged-tokens.js';
export { startDemoOrigin } from './demo/demo-origin.js';
export type { DemoOrigin, DemoOriginOptions, OriginRequest } from './demo/demo-origin.js';
// publish
export { createRecordPublisher } from './publish/record-publisher.js';
export type { PublisherStats, RecordPublisher, RecordPublisherOptions, SpoolDamageStats } from './publish/record-publisher.js';
export type { PublishedMessage } from './publish/published-message.js';
export { PUBLISHER_DEFAULTS } from './publish/publisher-settings.js';
export { PublishError } from './publish/publish-error.js';
export type { PublishErrorCode } from './publish/publish-error.js';
