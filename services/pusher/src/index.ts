// Public surface of @sluice/pusher.
export { createPusher } from './pusher.js';
export type { DeliveryKnobs, Pusher, PusherOptions } from './pusher.js';
export { startStatusServer } from './status-server.js';
export type { StatusServer, StatusServerOptions } from './status-server.js';
export { createJobRunner, DEFAULT_AUTO_DISABLE_AFTER_MS } from './job-runner.js';
export type { JobRunner, JobRunnerDeps } from './job-runner.js';
export { loadJobsFile, minUploadIntervalFromEnv } from './jobs-file.js';
export type { JobStatus } from './job-status.js';
export type { PusherEvent, PusherEventListener } from './pusher-events.js';
export { batchSuffix } from './batch-suffix.js';
