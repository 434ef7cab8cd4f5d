// Maps a job's Logpush upload limits onto the batcher's limits: the one place they meet.
import type { PushJob } from '../job/push-job.js';

export interface BatchLimits {
  /** Cut when this many records are in the batch. */
  maxRecords: number;
  /** Cut when the uncompressed body reaches this many bytes; Infinity for no limit. */
  maxBytes: number;
  /** Cut when the first record has waited this long. */
  maxAgeMs: number;
}

export function batchLimitsForJob(job: Pick<PushJob, 'maxUploadRecords' | 'maxUploadBytes' | 'maxUploadIntervalSeconds'>): BatchLimits {
  return {
    maxRecords: job.maxUploadRecords,
    maxBytes: job.maxUploadBytes === 0 ? Infinity : job.maxUploadBytes,
    maxAgeMs: job.maxUploadIntervalSeconds * 1000,
  };
}
