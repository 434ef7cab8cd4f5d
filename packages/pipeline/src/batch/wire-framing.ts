// A destination's wire encoding as the batch sees it: the same shape `@sluice/destinations` declares as `WireEncoding`.

/** One record on the wire: its text, or why it is kept out (see `WireEncoding` in `@sluice/destinations`). */
export type WireRecord = string | { refused: { code: string; reason: string } } | { unfit: { code: string; message: string } };

/**
 * Declared here rather than imported so the pipeline does not depend on the destinations package;
 * the pusher hands a destination's `WireEncoding` over as is, and the compiler checks the two agree.
 */
export interface WireFraming {
  readonly name: string;
  readonly encodeRecord: (record: string, offset: number, source: string) => WireRecord;
  readonly requestPrefix: string;
  readonly requestSuffix: string;
  readonly recordDelimiter: string;
  readonly maxRequestBytes: number;
  readonly maxRequestRecords?: number;
}

/** A batch built for a wire encoding: which one, and where its records come from (`<jobId>-<partition>`). */
export interface WireTarget {
  wire: WireFraming;
  source: string;
}

/** A record the wire encoding kept out of the batch; the destination reports it as refused. */
export interface KeptOutRecord {
  offset: number;
  code: string;
  reason: string;
  /** The record as rendered (and escaped): what the dead-letter topic keeps. */
  document: string;
}
