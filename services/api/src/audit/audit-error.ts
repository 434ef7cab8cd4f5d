// The audit's own failures, with stable codes; the store's error stays in `cause` (it may quote the store's reply, never shown).

export type AuditErrorCode =
  /** Listing or reading the bucket failed (refused, unreachable, throttled): see `cause`. */
  | 'AUDIT_STORE_FAILED'
  /** An object of the job is not gzip, or holds a CSV record too long to read. */
  | 'AUDIT_OBJECT_UNREADABLE';

export class AuditError extends Error {
  constructor(
    readonly code: AuditErrorCode,
    message: string,
    /** Whether trying again may succeed (a store that was unreachable or throttled). */
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AuditError';
  }
}
