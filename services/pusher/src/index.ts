// Public surface of @sluice/pusher.
export { createPusher } from './pusher.js';
export type { DeliveryKnobs, FixedJobsOptions, Pusher, PusherOptions, StoreJobsOptions } from './pusher.js';
export { startStatusServer } from './status-server.js';
export type { StatusServer, StatusServerOptions } from './status-server.js';
export { createJobRunner, DEFAULT_AUTO_DISABLE_AFTER_MS } from './job-runner.js';
export type { JobRunner, JobRunnerDeps, StopMode } from './job-runner.js';
export { createJobSupervisor } from './job-supervisor.js';
export type { JobSupervisor, JobSupervisorOptions, RunnerFactory } from './job-supervisor.js';
export { fixedJobSource, storeJobSource } from './job-source.js';
export type { DesiredJob, JobSource, JobWanted, RefusedJob } from './job-source.js';
export { decideTransition } from './job-transition.js';
export type { Transition } from './job-transition.js';
export { createHealthReporter } from './health-reporter.js';
export type { HealthReporter, HealthReporterOptions } from './health-reporter.js';
export { loadJobsFile, minUploadIntervalFromEnv } from './jobs-file.js';
export type { JobStatus } from './job-status.js';
export type { PusherEvent, PusherEventListener } from './pusher-events.js';
export { batchSuffix } from './batch-suffix.js';
