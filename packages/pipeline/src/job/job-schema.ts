// The push job in Logpush's JSON shape: one schema for validation, the TypeScript types and (later) the API.
import { Type } from '@sinclair/typebox';
import type { Static, TSchema } from '@sinclair/typebox';

/**
 * Each constrained schema says in `allowed` what a person may write there, so that validation
 * errors can tell them instead of quoting JSON Schema keywords.
 */
function allowed<T extends TSchema>(schema: T, text: string): T {
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

export const OutputOptionsSchema = Type.Object(
  {
    field_names: allowed(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), 'a non-empty list of field names of the dataset'),
  },
  { additionalProperties: false },
);

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
    output_options: Type.Optional(OutputOptionsSchema),
    max_upload_bytes: Type.Optional(UploadBytesSchema),
    max_upload_records: Type.Optional(UploadRecordsSchema),
    max_upload_interval_seconds: Type.Optional(UploadIntervalSchema),
    frequency: Type.Optional(allowed(Type.Union([Type.Literal('high'), Type.Literal('low')]), '"high" or "low" (deprecated)')),
    start_from: Type.Optional(allowed(Type.String({ minLength: 1 }), '"earliest" or an RFC 3339 time such as 2026-01-31T12:00:00Z')),
  },
  { additionalProperties: false },
);

/** A job exactly as written in a jobs file or an API body. */
export type JobDocument = Static<typeof JobSchema>;

export const JobsFileSchema = Type.Object(
  { jobs: allowed(Type.Array(Type.Unknown()), 'a list of job objects') },
  { additionalProperties: false },
);
