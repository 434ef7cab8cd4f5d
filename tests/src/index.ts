// Helpers shared by the cross-service tests.
export { testEnv, runTag, testKafka, testS3, createTestBucket, s3DestinationConf } from './test-env.js';
export type { TestEnv } from './test-env.js';
export { listKeys, readStoredObjects, parseExactJson } from './stored-objects.js';
export type { StoredObject } from './stored-objects.js';
export { runSluice, SLUICE_BIN } from './run-sluice.js';
export type { SluiceRun } from './run-sluice.js';
export { clickhouseQuery, clickhouseRows, clickhouseUrl } from './clickhouse.js';
export { createIndex, deleteIndex, hostPort, opensearchRequest, opensearchUrl, storedDocuments } from './opensearch.js';
export type { StoredDocument } from './opensearch.js';
export { jobCommitted, jobCommittedToEnd, readWhileWriting, startJobGroupAtEnd, topicEnd, waitUntil } from './live-pipeline.js';
export { withScratchKafka } from './scratch-kafka.js';
export { countByRayId, gatewayBurst, gatewayRequest, readDatasetRecords } from './edge-traffic.js';
export type { GatewayReply, ReadRecordsOptions } from './edge-traffic.js';
