// Errors of the job store, each with a stable code, a retriable flag and its cause.

export type JobStoreErrorCode =
  /** Kafka could not be reached, or a write was not acknowledged. */
  | 'JOB_STORE_UNAVAILABLE'
  /** The view did not reach a written or requested offset in time (its reader is stuck or Kafka is slow). */
  | 'JOB_STORE_BEHIND'
  /** The store was closed. */
  | 'JOB_STORE_CLOSED'
  /** A value handed to a write is not a valid job or custom-fields document (a programmer error). */
  | 'JOB_STORE_INVALID_VALUE'
  /** Jobs with explicit ids sit so far above the id allocator that it will not skip ahead to them. */
  | 'JOB_ID_GAP_TOO_LARGE';

const RETRIABLE: ReadonlySet<JobStoreErrorCode> = new Set(['JOB_STORE_UNAVAILABLE', 'JOB_STORE_BEHIND']);

export class JobStoreError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly code: JobStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JobStoreError';
    this.retriable = RETRIABLE.has(code);
  }
}
