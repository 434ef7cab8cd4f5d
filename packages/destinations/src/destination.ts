// The one small interface every destination implements, and the union its deliveries return.
import type { OwnershipSupport } from './ownership/ownership-support.js';
import type { WireEncoding } from './wire/wire-encoding.js';

/** One request's worth of a batch built in a destination's wire encoding. */
export interface BatchPart {
  /** One whole gzip member (a view into the batch's `body`): sent as it is, as one request's body. */
  body: Buffer;
  /** Records in the part: each one request item (a line, a bulk action, an array entry). */
  records: number;
  uncompressedBytes: number;
}

/** One gzip-compressed batch, ready to deliver. */
export interface DeliveryBatch {
  /** The whole batch; when it has parts, their gzip members one after another (still one valid gzip file). */
  body: Buffer;
  /** Present when the pipeline built the batch in a wire encoding; `encoding` names which one. */
  parts?: readonly BatchPart[];
  encoding?: string;
  /** Records the wire encoding kept out of the parts (over a per-record limit): reported as refused once delivered. */
  keptOut?: readonly RefusedRecord[];
  /** A record the wire encoding could not express at all: the destination rejects the batch with this. */
  unfit?: { code: string; message: string };
  records: number;
  uncompressedBytes: number;
  /** Earliest and latest record time in the batch, ms since the epoch (object names, `{DATE}`). */
  startTimeMs: number;
  endTimeMs: number;
  /** Deterministic id of the batch (job, partition, first offset): a redelivery reuses it. */
  suffix: string;
  /** Where the records came from; absent for validation payloads. */
  origin?: BatchOrigin;
}

/** The Kafka records behind a batch: one partition of the job's dataset topic. */
export interface BatchOrigin {
  jobId: number;
  partition: number;
  /** The offset of each record in the body, in body order (ascending, not necessarily contiguous). */
  offsets: readonly number[];
}

/** One record the destination refused for good while it took the rest of the batch (a mapping error). */
export interface RefusedRecord {
  /** The record's Kafka offset, or -1 when the batch carried no origin. */
  offset: number;
  code: string;
  reason: string;
  /** The record as it was sent, so the dead-letter topic holds exactly what was refused. */
  document: string;
}

export type DeliveryResult =
  /** Taken; `refused` lists records the destination would never take (dead-lettered, not retried). */
  | { status: 'delivered'; location: string; refused?: readonly RefusedRecord[] }
  /** Worth trying again later: timeouts, resets, throttling, 5xx. */
  | { status: 'retryable'; code: string; message: string; retryAfterMs?: number }
  /** Trying again will not help until someone changes something: auth, validation, a missing bucket. */
  | { status: 'rejected'; code: string; message: string };

export interface Destination {
  readonly kind: string;
  /** Where batches go, with every credential removed: safe for logs and status APIs. */
  readonly description: string;
  /**
   * How this destination wants records on the wire. When present, the pipeline builds each batch in
   * it (parts that are whole requests, compressed once) and `deliver` sends the parts as they are;
   * a batch built otherwise (a validation payload, a hand-made batch) is re-encoded on the way out.
   * Absent (object stores, generic HTTP, Sumo): the job's own framing, one body.
   */
  readonly wireEncoding?: WireEncoding;
  /** Never throws for delivery failures; the result says what happened. Honours `signal`. */
  deliver(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult>;
  /**
   * Proves the destination takes writes (Logpush's destination validation). Object stores write
   * `<dir>/<YYYYMMDD>/test.txt.gz`; without this method the test payload is delivered as a batch.
   */
  validate?(body: Buffer, signal: AbortSignal): Promise<DeliveryResult>;
  /**
   * Writes an ownership-challenge file (plain text) at `key`, relative to the store's root. Present
   * exactly when the plugin declares `ownership`; see ownership/create-ownership-challenge.ts.
   */
  writeChallenge?(key: string, content: string, signal: AbortSignal): Promise<DeliveryResult>;
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
  /** Present for kinds whose destinations can hold an ownership-challenge file (object stores). */
  readonly ownership?: OwnershipSupport<C>;
}
