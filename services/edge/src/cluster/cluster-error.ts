// Errors of the gateway's workers and their spool ownership, each with a stable code.

export type EdgeClusterErrorCode =
  /** Another live process holds the spool directory's lock: two gateways must never share a spool. */
  | 'EDGE_SPOOL_LOCKED'
  /** A worker could not start (its message says why); at start-up this stops the whole gateway. */
  | 'EDGE_WORKER_FAILED'
  /** A worker did not answer the primary in time. */
  | 'EDGE_WORKER_TIMEOUT';

export class EdgeClusterError extends Error {
  constructor(
    readonly code: EdgeClusterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EdgeClusterError';
  }
}
