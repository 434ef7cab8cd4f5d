// The one small interface every destination implements, and the union its deliveries return.

/** One gzip-compressed batch, ready to deliver. */
export interface DeliveryBatch {
  body: Buffer;
  records: number;
  uncompressedBytes: number;
  /** Earliest and latest record time in the batch, ms since the epoch (object names, `{DATE}`). */
  startTimeMs: number;
  endTimeMs: number;
  /** Deterministic id of the batch (job, partition, first offset): a redelivery reuses it. */
  suffix: string;
}

export type DeliveryResult =
  | { status: 'delivered'; location: string }
  /** Worth trying again later: timeouts, resets, throttling, 5xx. */
  | { status: 'retryable'; code: string; message: string; retryAfterMs?: number }
  /** Trying again will not help until someone changes something: auth, validation, a missing bucket. */
  | { status: 'rejected'; code: string; message: string };

export interface Destination {
  readonly kind: string;
  /** Where batches go, with every credential removed: safe for logs and status APIs. */
  readonly description: string;
  /** Never throws for delivery failures; the result says what happened. Honours `signal`. */
  deliver(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult>;
  /**
   * Proves the destination takes writes (Logpush's destination validation). Object stores write
   * `<dir>/<YYYYMMDD>/test.txt.gz`; without this method the test payload is delivered as a batch.
   */
  validate?(body: Buffer, signal: AbortSignal): Promise<DeliveryResult>;
  close(): Promise<void>;
}

export type ParseResult<C> = { ok: true; config: C } | { ok: false; message: string };

/** A destination kind: which URI schemes it serves, how to read its URI, how to build it. */
export interface DestinationPlugin<C = unknown> {
  readonly kind: string;
  readonly schemes: readonly string[];
  /** Pure: reads and checks a `destination_conf`; messages never quote credentials. */
  parse(destinationConf: string): ParseResult<C>;
  create(config: C): Destination;
}
