// The access_requests route's query, events and result_info as TypeBox schemas: the OpenAPI document is built from these.
import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { DEFAULT_LIMIT, MAX_FILTER_LENGTH, MAX_LIMIT } from './access-log-query.js';

const op = (name: string) => Type.Optional(Type.Union([Type.Literal('eq'), Type.Literal('neq')], { description: `Operator for the \`${name}\` filter (default eq)` }));
const text = (description: string) => Type.Optional(Type.String({ maxLength: MAX_FILTER_LENGTH, description }));
const flag = (description: string) => Type.Optional(Type.Boolean({ description }));

/** The parameters the official SDK 7.3 sends (`AccessRequestListParams`), all optional. */
export const AccessLogQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'The most events to return' })),
  direction: Type.Optional(Type.Union([Type.Literal('desc'), Type.Literal('asc')], { default: 'desc', description: 'Newest first (desc) or oldest first (asc)' })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'RFC 3339; events at or after it' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'RFC 3339; events before it' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1, description: 'Page number, of per_page events each' })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: 'Events per page (default: limit)' })),
  email: text('User email: a case-sensitive substring unless emailOp=eq or email_exact=true'),
  emailOp: Type.Optional(Type.Union([Type.Literal('eq'), Type.Literal('neq'), Type.Literal('contains')], { description: 'eq (exact), neq (exclusion) or contains (substring, the default)' })),
  email_exact: flag('Match email exactly; wins over emailOp=contains'),
  allowed: flag('Allowed (true) or denied (false) events'),
  allowedOp: op('allowed'),
  app_uid: text('The Access application'),
  app_uidOp: op('app_uid'),
  app_type: text('self_hosted (the only type Sluice protects) or a SaaS type'),
  app_typeOp: op('app_type'),
  country_code: text('ISO country code, any case'),
  country_codeOp: op('country_code'),
  idp: text('The identity provider connection, e.g. saml'),
  idpOp: op('idp'),
  ray_id: text('The RayID of the request'),
  ray_idOp: op('ray_id'),
  non_identity: flag('Events without a trusted user identity (no token, a forged one)'),
  non_identityOp: op('non_identity'),
  user_id: text('Deprecated: accepted and ignored, as Cloudflare does'),
  user_idOp: op('user_id'),
  fields: Type.Optional(Type.String({ description: 'Comma-separated fields to return (default all): user_email, ip_address, app_uid, app_domain, action, allowed, created_at, connection, country, ray_id, app_type, deny_reason_code, deny_reason' })),
});

const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);

export const AccessLogEventSchema = Type.Object(
  {
    user_email: optional(Type.String({ description: "The user who tried to sign in; '' when the attempt carried no trusted identity" })),
    ip_address: optional(Type.String()),
    app_uid: optional(Type.String()),
    app_domain: optional(Type.String()),
    action: optional(Type.String({ description: 'e.g. login' })),
    allowed: optional(Type.Boolean()),
    created_at: optional(Type.String({ format: 'date-time', description: 'RFC 3339 with nanoseconds' })),
    connection: optional(Type.String({ description: 'The IdP, e.g. saml' })),
    country: optional(Type.String()),
    ray_id: optional(Type.String()),
    app_type: optional(Type.String()),
    deny_reason_code: optional(Type.String({ description: "Denied events only: the gateway's code, e.g. IDENTITY_EXPIRED (Sluice's field)" })),
    deny_reason: optional(Type.String({ description: "Denied events only: why, e.g. token expired (Sluice's field)" })),
  },
  { description: 'One Access authentication event; only the fields asked for with `fields`' },
);

export const AccessLogListSchema = Type.Array(AccessLogEventSchema);

export const AccessLogResultInfoSchema = Type.Object({
  page: Type.Integer({ minimum: 1 }),
  per_page: Type.Integer({ minimum: 1 }),
  count: Type.Integer({ minimum: 0, description: 'Events in this answer' }),
  total_count: Type.Integer({ minimum: 0, description: "Events matching the query in all pages, counted up to 10,000 past this page's end" }),
  total_pages: Type.Integer({ minimum: 0 }),
  total_count_is_lower_bound: Type.Boolean({ description: 'The count stopped at its cap: at least total_count events match' }),
});
