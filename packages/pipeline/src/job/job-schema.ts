// The push job in Logpush's JSON shape: one schema for validation, the TypeScript types and (later) the API.
import { Type } from '@sinclair/typebox';
import type { Static, TSchema } from '@sinclair/typebox';
import { CustomFieldsSchema } from '../custom-fields/custom-fields-schema.js';

/**
 * Each constrained schema says in `allowed` what a person may write there, so that validation
 * errors can tell them instead of quoting JSON Schema keywords.
 */
function allowed<T extends TSchema>(schema: T, text: string): T & { allowed: string } {
  return { ...schema, allowed: text };
}

export const HexIdSchema = allowed(Type.String({ pattern: '^[0-9a-f]{32}$' }), 'a 32-character lowercase hex id');

export const UploadBytesSchema = allowed(
  Type.Union([Type.Literal(0), Type.Integer({ minimum: 5_000_000, maximum: 1_000_000_000 })]),
  'an integer from 5,000,000 to 1,000,000,000 (uncompressed bytes), or 0 for no size limit',
);

export const UploadRecordsSchema = allowed(
  Type.Union([Type.Literal(0), Type.Integer({ minimum: 1_000, maximum: 1_000_000 })]),
  'an integer from 1,000 to 1,000,000, or 0 for the default (100,000)',
);

/** The interval's minimum is checked separately because a development setting may lower it. */
export const UploadIntervalSchema = allowed(
  Type.Integer({ minimum: 0, maximum: 300 }),
  'an integer number of seconds from 30 to 300, or 0 for the default (30)',
);

/** A string option that may also be sent as null (Logpush's API returns null for unset options). */
function optionalText(text: string) {
  return Type.Optional(allowed(Type.Union([Type.String({ maxLength: MAX_FRAMING_CHARS }), Type.Null()]), text));
}

/** Longest prefix, suffix, delimiter or template accepted (Logpush publishes no limit). */
export const MAX_FRAMING_CHARS = 4096;

export const TimestampFormatSchema = allowed(
  Type.Union([Type.Literal('unixnano'), Type.Literal('unix'), Type.Literal('rfc3339'), Type.Literal('rfc3339ms'), Type.Literal('rfc3339ns')]),
  '"unixnano", "unix", "rfc3339", "rfc3339ms" or "rfc3339ns"',
);

export const SampleRateSchema = allowed(
  Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  'a number greater than 0 and at most 1 (1 keeps every record)',
);

export const OutputOptionsSchema = Type.Object(
  {
    field_names: Type.Optional(allowed(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), 'a non-empty list of field names of the dataset')),
    output_type: Type.Optional(allowed(Type.Union([Type.Literal('ndjson'), Type.Literal('csv'), Type.Null()]), '"ndjson" or "csv"')),
    batch_prefix: optionalText(`a string of at most ${MAX_FRAMING_CHARS} characters written before each batch`),
    batch_suffix: optionalText(`a string of at most ${MAX_FRAMING_CHARS} characters written after each batch`),
    record_prefix: optionalText(`a string of at most ${MAX_FRAMING_CHARS} characters written before each record`),
    record_suffix: optionalText(`a string of at most ${MAX_FRAMING_CHARS} characters written after each record`),
    record_delimiter: optionalText(`a string of at most ${MAX_FRAMING_CHARS} characters written between records`),
    field_delimiter: optionalText(`a string of at most ${MAX_FRAMING_CHARS} characters written between fields`),
    record_template: optionalText(`a template of at most ${MAX_FRAMING_CHARS} characters such as "\\"ip\\":{{ .ClientIP }}"`),
    timestamp_format: Type.Optional(allowed(Type.Union([TimestampFormatSchema, Type.Null()]), TimestampFormatSchema.allowed)),
    sample_rate: Type.Optional(allowed(Type.Union([SampleRateSchema, Type.Null()]), SampleRateSchema.allowed)),
    'CVE-2021-44228': Type.Optional(allowed(Type.Union([Type.Boolean(), Type.Null()]), 'true or false')),
    /** The misspelling Logpush published in its API schema; it means the same as CVE-2021-44228. */
    'CVE-2021-4428': Type.Optional(allowed(Type.Union([Type.Boolean(), Type.Null()]), 'true or false')),
  },
  { additionalProperties: false },
);

export type OutputOptionsDocument = Static<typeof OutputOptionsSchema>;

/** Filters are sent as a JSON string (see filter/filter-schema.ts for what it holds). */
export const FilterTextSchema = allowed(
  Type.Union([Type.String(), Type.Null()]),
  'a JSON string such as "{\\"where\\":{\\"key\\":\\"ClientRequestHost\\",\\"operator\\":\\"eq\\",\\"value\\":\\"example.com\\"}}"',
);

export const LogpullOptionsSchema = allowed(
  Type.Union([Type.String({ maxLength: MAX_FRAMING_CHARS }), Type.Null()]),
  'a query string such as "fields=ClientIP,RayID&timestamps=rfc3339&sample=0.1&CVE-2021-44228=true"',
);

/** Logpush's limit for `ownership_challenge`. */
export const MAX_OWNERSHIP_CHALLENGE_CHARS = 4096;

export const JobSchema = Type.Object(
  {
    id: allowed(Type.Integer({ minimum: 1 }), 'an integer ≥ 1'),
    name: Type.Optional(allowed(Type.String({ maxLength: 512, pattern: '^[a-zA-Z0-9.-]*$' }), 'up to 512 characters of a-z, A-Z, 0-9, "." and "-"')),
    dataset: allowed(Type.String({ minLength: 1 }), 'a dataset name such as "http_requests" or "access_requests"'),
    destination_conf: allowed(Type.String({ minLength: 1, maxLength: 4096 }), 'a destination URI of at most 4096 characters, e.g. s3://bucket/dir?region=us-east-1'),
    enabled: Type.Optional(allowed(Type.Boolean(), 'true or false')),
    kind: Type.Optional(allowed(Type.Union([Type.Literal(''), Type.Literal('edge')]), '"" or "edge"')),
    zone_id: Type.Optional(HexIdSchema),
    account_id: Type.Optional(HexIdSchema),
    filter: Type.Optional(FilterTextSchema),
    output_options: Type.Optional(Type.Union([OutputOptionsSchema, Type.Null()])),
    logpull_options: Type.Optional(LogpullOptionsSchema),
    max_upload_bytes: Type.Optional(UploadBytesSchema),
    max_upload_records: Type.Optional(UploadRecordsSchema),
    max_upload_interval_seconds: Type.Optional(UploadIntervalSchema),
    frequency: Type.Optional(allowed(Type.Union([Type.Literal('high'), Type.Literal('low')]), '"high" or "low" (deprecated)')),
    start_from: Type.Optional(allowed(Type.String({ minLength: 1 }), '"earliest" or an RFC 3339 time such as 2026-01-31T12:00:00Z')),
    /** Write-only proof of destination ownership, checked when a job is created or its destination changes. */
    ownership_challenge: Type.Optional(
      allowed(
        Type.String({ maxLength: MAX_OWNERSHIP_CHALLENGE_CHARS, pattern: '^[a-zA-Z0-9/+.\\-_]*$' }),
        `the token from the ownership-challenge-<id>.txt file written to the destination: at most ${MAX_OWNERSHIP_CHALLENGE_CHARS} characters of a-z, A-Z, 0-9, "/", "+", ".", "-" and "_"`,
      ),
    ),
  },
  { additionalProperties: false },
);

/** A job exactly as written in a jobs file or an API body. */
export type JobDocument = Static<typeof JobSchema>;

/** The jobs file of file mode; `custom_fields` maps zone ids to their custom-fields configuration. */
export const JobsFileSchema = Type.Object(
  {
    jobs: allowed(Type.Array(Type.Unknown()), 'a list of job objects'),
    custom_fields: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9a-f]{32}$' }), CustomFieldsSchema)),
  },
  { additionalProperties: false },
);
