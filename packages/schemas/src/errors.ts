// Errors thrown by @sluice/schemas: programmer and start-up errors only, each with a stable code.

/**
 * Codes of errors this package throws. Decoding bad input never throws; it returns a
 * `DecodeResult` with its own codes (see `record.ts`).
 */
export type SchemaErrorCode =
  /** A catalog file is missing or does not have the expected shape. */
  | 'SCHEMAS_BAD_CATALOG'
  /** A dataset name that is not one of `datasetNames`. */
  | 'SCHEMAS_UNKNOWN_DATASET'
  /** A field name that the dataset does not have (e.g. in a decoder's `fields`). */
  | 'SCHEMAS_UNKNOWN_FIELD'
  /** A record handed to an encoder has a value of the wrong type. */
  | 'SCHEMAS_INVALID_RECORD'
  /** A writer schema that this package cannot read (a bug in a schema version). */
  | 'SCHEMAS_UNSUPPORTED_SCHEMA';

export class SchemaError extends Error {
  readonly code: SchemaErrorCode;
  /** None of these errors goes away by retrying: they need a code or configuration change. */
  readonly retriable = false;

  constructor(code: SchemaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaError';
    this.code = code;
  }
}
