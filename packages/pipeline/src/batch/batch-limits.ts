// Maps a job's Logpush upload limits onto the batcher's limits: the one place they meet.
import type { PushJob } from '../job/push-job.js';

export interface BatchLimits {
  /** Cut when this many records are in the batch. */
  maxRecords: number;
  /** Cut when the uncompressed body reaches this many bytes (never unbounded: see MAX_BATCH_BYTES). */
  maxBytes: number;
  /** Cut when the first record has waited this long. */
  maxAgeMs: number;
}

/**
 * `max_upload_bytes: 0` means "no size limit of the job's own", not an unbounded batch: it takes
 * Logpush's largest allowed value. The worker's memory budget seals batches far earlier when many
 * are open at once.
 */
export const MAX_BATCH_BYTES = 1_000_000_000;

export function batchLimitsForJob(job: Pick<PushJob, 'maxUploadRecords' | 'maxUploadBytes' | 'maxUploadIntervalSeconds'>): BatchLimits {
  return {
    maxRecords: job.maxUploadRecords,
    maxBytes: job.maxUploadBytes === 0 ? MAX_BATCH_BYTES : job.maxUploadBytes,
    maxAgeMs: job.maxUploadIntervalSeconds * 1000,
  };
}
