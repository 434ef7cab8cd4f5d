// Public API of @sluice/infra-local: a real Kafka broker and S3 server on this machine, without Docker.
export { infraDown, infraStatus, infraUp } from './infra-lifecycle.js';
export type { ComponentStatus, InfraDownOptions, InfraStatus, InfraUpOptions } from './infra-lifecycle.js';
export { formatExports, localInfraEnv, shellQuote } from './infra-env.js';
export type { InfraEnv } from './infra-env.js';
export { InfraError, isInfraError } from './infra-error.js';
export type { InfraErrorCode } from './infra-error.js';
export { KAFKA_VERSION, S3PROXY_VERSION } from './maven-artifacts.js';
