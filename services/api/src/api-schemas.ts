// Request and result schemas of the API, built from the pipeline's JobSchema and CustomFieldsSchema (TypeBox).
import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { CustomFieldsSchema, JobSchema } from '@sluice/pipeline';
import { allowed } from './body/allowed.js';

/** Logpush's job fields without the optional markers, to reuse in other shapes. */
const F = Type.Required(Type.Omit(JobSchema, ['zone_id', 'account_id'])).properties;

function orNull<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/**
 * POST body. Validation runs JobSchema itself (through parseJob) on this body with `id` and the
 * scope from the path added; `id` and the read-only health fields are ignored if sent.
 */
export const JobCreateBodySchema = Type.Omit(JobSchema, ['id', 'zone_id', 'account_id'], {
  description: 'A Logpush job. dataset and destination_conf are required; jobs are created disabled unless enabled is true.',
});

/** PUT body: any subset of the fields, merged over the stored job; null unsets a field. */
export const JobUpdateBodySchema = Type.Partial(JobCreateBodySchema, {
  description: 'The fields to change. dataset and kind cannot change; a new destination_conf needs a fresh ownership_challenge where the destination takes one.',
});

export const JobViewSchema = Type.Object(
  {
    id: F.id,
    dataset: F.dataset,
    enabled: F.enabled,
    name: orNull(F.name),
    kind: F.kind,
    destination_conf: F.destination_conf,
    filter: F.filter,
    output_options: F.output_options,
    logpull_options: F.logpull_options,
    frequency: orNull(F.frequency),
    max_upload_bytes: orNull(F.max_upload_bytes),
    max_upload_records: orNull(F.max_upload_records),
    max_upload_interval_seconds: orNull(F.max_upload_interval_seconds),
    start_from: Type.Optional(F.start_from),
    last_complete: orNull(Type.String({ format: 'date-time', description: 'End of the last successfully pushed range (from the workers, read-only).' })),
    last_error: orNull(Type.String({ format: 'date-time', description: 'When the job last failed; non-null means it is failing now (read-only).' })),
    error_message: orNull(Type.String({ description: "The last failure's message; cleared on success (read-only)." })),
  },
  { additionalProperties: false },
);

export const JobListSchema = Type.Array(JobViewSchema);
export const DeletedJobSchema = Type.Object({ id: F.id });

export const DestinationBodySchema = Type.Object({ destination_conf: F.destination_conf }, { additionalProperties: false });
/** validate/destination: a destination Sluice would write to with its own credentials (S3 without keys) needs the token first. */
export const DestinationValidateBodySchema = Type.Object(
  { destination_conf: F.destination_conf, ownership_challenge: Type.Optional(F.ownership_challenge) },
  { additionalProperties: false },
);
export const OwnershipValidateBodySchema = Type.Object(
  { destination_conf: F.destination_conf, ownership_challenge: F.ownership_challenge },
  { additionalProperties: false },
);
export const OriginBodySchema = Type.Object({ logpull_options: F.logpull_options }, { additionalProperties: false });

export const OwnershipChallengeSchema = Type.Object({
  filename: Type.String({ description: 'The challenge file inside the destination, e.g. logs/20260131/ownership-challenge-1a2b3c4d.txt; its contents are the token.' }),
  message: Type.String(),
  valid: Type.Boolean(),
});
export const OwnershipValidationSchema = Type.Object({ valid: Type.Boolean(), message: Type.Optional(Type.String()) });
export const DestinationValidationSchema = Type.Object({ valid: Type.Boolean(), message: Type.String() });
export const DestinationExistsSchema = Type.Object({ exists: Type.Boolean() });
export const OriginValidationSchema = Type.Object({ valid: Type.Boolean(), message: Type.String() });
export const DatasetFieldsSchema = Type.Record(Type.String(), Type.String(), { description: 'Field name → description, in catalog order.' });

/** Fields of a ruleset or rule that a GET returns; sent back in a PUT they are ignored. */
const Echoed = Type.Optional(Type.String());

export const CustomFieldRuleSchema = Type.Object(
  {
    action: allowed(Type.Literal('log_custom_field'), '"log_custom_field"'),
    expression: allowed(Type.Literal('true'), '"true": custom fields apply to every request of the zone'),
    action_parameters: CustomFieldsSchema,
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(allowed(Type.Literal(true), 'true; to stop logging custom fields send "rules": []')),
    id: Echoed,
    ref: Echoed,
    version: Echoed,
    last_updated: Echoed,
  },
  { additionalProperties: false },
);

export const CustomFieldsRulesetBodySchema = Type.Object(
  {
    rules: allowed(Type.Array(CustomFieldRuleSchema, { maxItems: 1 }), 'a list of at most one log_custom_field rule ([] removes the custom fields)'),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    kind: Type.Optional(allowed(Type.Literal('zone'), '"zone"')),
    phase: Type.Optional(allowed(Type.Literal('http_log_custom_fields'), '"http_log_custom_fields"')),
    id: Echoed,
    version: Echoed,
    last_updated: Echoed,
  },
  { additionalProperties: false },
);

export const CustomFieldsRulesetSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  kind: Type.Literal('zone'),
  phase: Type.Literal('http_log_custom_fields'),
  version: Type.String(),
  rules: Type.Array(
    Type.Object({
      id: Type.String(),
      ref: Type.String(),
      version: Type.String(),
      action: Type.Literal('log_custom_field'),
      action_parameters: CustomFieldsSchema,
      expression: Type.Literal('true'),
      description: Type.String(),
      enabled: Type.Literal(true),
    }),
  ),
});
