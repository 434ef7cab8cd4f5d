// The in-memory record shape shared by the encoders, the decoders and everything downstream.

/**
 * One decoded record, keyed by catalog field name plus the scope fields `_zone_id` and
 * `_account_id`. Values by field kind (see `FieldKind`):
 * - string → string; bool → boolean; float → number
 * - int → number when it is a safe integer, bigint beyond ±`Number.MAX_SAFE_INTEGER`
 * - timestamp → always a bigint of nanoseconds since the epoch (never a number), whatever the input
 * - map → plain object of strings; float-map → plain object of numbers
 * - string[] / int[] → arrays (int elements as for int)
 *
 * An absent field is a missing key: decoders never produce `null` or `undefined` values, so
 * `record[name] === undefined` is the one test for absence. Encoders accept `null` and
 * `undefined` alike as absent, and ignore keys that are not fields of the dataset.
 */
export type DatasetRecord = Record<string, unknown>;

export type DecodeErrorCode =
  /** Single-object Avro whose writer-schema fingerprint is not a known version of the dataset. */
  | 'DECODE_UNKNOWN_SCHEMA'
  /** Single-object Avro whose body is truncated or malformed. */
  | 'DECODE_BAD_AVRO'
  /** A JSON object that does not parse, or has a field value of the wrong type. */
  | 'DECODE_BAD_JSON'
  /** Neither single-object Avro nor a JSON object (e.g. empty, a JSON array, plain text). */
  | 'DECODE_NOT_A_RECORD';

export type DecodeResult =
  | { readonly ok: true; readonly record: DatasetRecord }
  | { readonly ok: false; readonly code: DecodeErrorCode; readonly message: string };

export interface DecoderOptions {
  /**
   * Dataset fields to keep (the scope fields are always kept); by default every field.
   * Other fields are skipped without being materialized. Unknown names throw
   * `SCHEMAS_UNKNOWN_FIELD` when the decoder is created.
   */
  readonly fields?: readonly string[];
}

/** Decodes one Kafka message value; never throws. */
export type RecordDecoder = (bytes: Buffer) => DecodeResult;

/** Encodes one record as single-object Avro; throws `SCHEMAS_INVALID_RECORD` for bad values. */
export type RecordEncoder = (record: DatasetRecord) => Buffer;
