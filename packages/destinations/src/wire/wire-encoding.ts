// How a destination wants records framed on the wire, so the pipeline can build each batch already in that form.

/**
 * What one record becomes on the wire. A string is its share of a request, framing included (an
 * empty string sends nothing for it). `refused`: the destination would never take this record
 * (Datadog's per-log limit): it is kept aside and reported as refused, not sent. `unfit`: the
 * batch cannot be sent in this encoding at all (CSV lines to Elasticsearch): the delivery is
 * rejected with this code, and the job waits until someone changes its output.
 */
export type WireRecord = string | { refused: { code: string; reason: string } } | { unfit: { code: string; message: string } };

/**
 * Encodes one rendered record (already JNDI-escaped, its trailing line break kept as rendered).
 * `source` names where the batch's records come from (`<jobId>-<partition>`, see `wireSource`) and
 * `offset` the record's Kafka offset, so ids built from them are the same on every redelivery.
 */
export type WireRecordEncoder = (record: string, offset: number, source: string) => WireRecord;

/**
 * A destination's wire encoding. A batch built with it is a run of parts, each one gzip member that
 * is one complete request (prefix, records joined by the delimiter, suffix) within the bounds below.
 * The pipeline's batch builder takes the same shape (`WireFraming` in `@sluice/pipeline`).
 */
export interface WireEncoding {
  /** Names the encoding; a batch built with it carries the name, so its parts are known to be ready to send. */
  readonly name: string;
  readonly encodeRecord: WireRecordEncoder;
  /** Text that opens and closes every request (`[` and `]` of a JSON array), and goes between two records (`,`). */
  readonly requestPrefix: string;
  readonly requestSuffix: string;
  readonly recordDelimiter: string;
  /** Uncompressed bytes of one request at most, framing included (a record larger on its own goes alone). */
  readonly maxRequestBytes: number;
  /** Records of one request at most. Default: no limit. */
  readonly maxRequestRecords?: number;
}

/** The `source` a batch's encoder is given: the job and partition its records come from. */
export function wireSource(jobId: number, partition: number): string {
  return `${jobId}-${partition}`;
}

/** The rendered record without its final "\n" (a "\r" before it is kept, as when a body is read line by line). */
export function withoutLineBreak(record: string): string {
  return record.endsWith('\n') ? record.slice(0, -1) : record;
}
