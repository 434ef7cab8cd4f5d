// Per-zone custom fields in Logpush's ruleset shape: the `action_parameters` of a `log_custom_field` rule.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

/** Logpush allows 100 names in each list. */
export const MAX_CUSTOM_FIELDS_PER_LIST = 100;

const HeaderField = Type.Object({ name: Type.String() }, { additionalProperties: false });
/** `preserve_duplicates` is Logpush's switch for multi-valued response headers such as set-cookie. */
const ResponseHeaderField = Type.Object(
  { name: Type.String(), preserve_duplicates: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

function list<T extends typeof HeaderField | typeof ResponseHeaderField>(item: T) {
  return Type.Optional(Type.Array(item, { maxItems: MAX_CUSTOM_FIELDS_PER_LIST }));
}

export const CustomFieldsSchema = Type.Object(
  {
    /** Request headers as the client sent them. */
    request_fields: list(HeaderField),
    /** Request headers after request transforms (Sluice's gateway applies none, so the same values). */
    transformed_request_fields: list(HeaderField),
    /** Response headers after response transforms. */
    response_fields: list(ResponseHeaderField),
    /** Response headers as the origin sent them. */
    raw_response_fields: list(ResponseHeaderField),
    /** Request cookies, by case-sensitive name. */
    cookie_fields: list(HeaderField),
  },
  { additionalProperties: false },
);

/** One zone's configuration, exactly as written. */
export type CustomFieldsDocument = Static<typeof CustomFieldsSchema>;

export const CUSTOM_FIELD_LISTS = [
  'request_fields',
  'transformed_request_fields',
  'response_fields',
  'raw_response_fields',
  'cookie_fields',
] as const satisfies readonly (keyof CustomFieldsDocument)[];
