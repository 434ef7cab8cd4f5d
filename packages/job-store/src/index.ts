// Public surface of @sluice/job-store.
export type { HealthStore, JobHealth, JobStore, StoreEvent, StoreListener, StoredJob } from './job-store.js';
export { createMemoryHealthStore, createMemoryJobStore } from './memory-job-store.js';
export { createKafkaJobStore } from './kafka-job-store.js';
export type { KafkaJobStoreOptions } from './kafka-job-store.js';
export { createKafkaHealthStore } from './kafka-health-store.js';
export type { KafkaHealthStore, KafkaHealthStoreOptions } from './kafka-health-store.js';
export { DEFAULT_JOB_STORE_TOPICS, JOBS_TOPIC, JOB_HEALTH_TOPIC, JOB_IDS_TOPIC, jobGroupId } from './topics.js';
export type { JobStoreTopics } from './topics.js';
export { JobStoreError } from './job-store-error.js';
export type { JobStoreErrorCode } from './job-store-error.js';
export { customFieldsKey, jobKey, STORE_PARSE_OPTIONS } from './store-records.js';
export type { JobIdAllocatorOptions } from './job-id-allocator.js';
