// Public surface of @sluice/job-store.
export type { HealthStore, JobHealth, JobStore, StoreEvent, StoreListener, StoredJob } from './job-store.js';
export { createMemoryHealthStore, createMemoryJobStore } from './memory-job-store.js';
