// Errors the publisher throws: start-up problems only, each with a stable code. Publishing itself never throws.

export type PublishErrorCode =
  /** An option of `createRecordPublisher` is out of range (a configuration error). */
  | 'PUBLISH_INVALID_OPTIONS'
  /** The spool directory cannot be created, read or written (permissions, a file in the way, a full disk). */
  | 'PUBLISH_SPOOL_UNAVAILABLE'
  /** The publisher thread could not be started, or ended before its publisher was ready. */
  | 'PUBLISH_THREAD_FAILED';

const RETRIABLE: ReadonlySet<PublishErrorCode> = new Set(['PUBLISH_SPOOL_UNAVAILABLE']);

export class PublishError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly code: PublishErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PublishError';
    this.retriable = RETRIABLE.has(code);
  }
}
