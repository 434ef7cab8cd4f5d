// The audit route's query, rows and result_info as TypeBox schemas: the OpenAPI document is built from these.
import { Type } from '@sinclair/typebox';
import { DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT, MAX_EMAIL_LENGTH } from './audit-query.js';

export const AuditQuerySchema = Type.Object({
  email: Type.String({ minLength: 1, maxLength: MAX_EMAIL_LENGTH, pattern: '^[^\\s\\u0000-\\u001f]+$', description: 'The user, matched exactly against RequestHeaders.cf-access-user' }),
  since: Type.String({ format: 'date-time', description: 'RFC 3339; requests at or after it' }),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'RFC 3339; requests before it (default: now)' })),
  job_id: Type.Optional(Type.Integer({ minimum: 1, description: "The job whose objects to read; default the zone's lowest-id enabled job that stores the user" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_LIMIT, default: DEFAULT_AUDIT_LIMIT, description: 'The earliest this many requests are returned' })),
});

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(schema: T) => Type.Union([schema, Type.Null()]);

export const SessionRowSchema = Type.Object(
  {
    time: Type.String({ description: 'EdgeStartTimestamp, RFC 3339 at the precision the job stores' }),
    ray_id: nullable(Type.String()),
    method: nullable(Type.String()),
    host: nullable(Type.String()),
    path: nullable(Type.String({ description: 'ClientRequestURI, else ClientRequestPath' })),
    status: nullable(Type.Integer({ description: 'EdgeResponseStatus' })),
    client_ip: nullable(Type.String()),
    user_agent: nullable(Type.String()),
    security_action: nullable(Type.String()),
    object_key: Type.String({ description: 'The stored object the request was read from' }),
  },
  { description: 'One request of the user; a field the job does not store is null' },
);

export const SessionListSchema = Type.Array(SessionRowSchema);

export const AuditResultInfoSchema = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  truncated: Type.Boolean({ description: 'The range may hold more of the user\'s requests: ask again with since after the last time' }),
  truncated_by: Type.Union([Type.Literal('records'), Type.Literal('objects'), Type.Literal('keys'), Type.Literal('deadline'), Type.Null()]),
  objects_scanned: Type.Integer({ minimum: 0, description: 'Batch objects read' }),
  objects_skipped: Type.Integer({ minimum: 0, description: "The job's batch objects listed and not read (out of range, or past a limit)" }),
  records_unreadable: Type.Integer({ minimum: 0 }),
  job_id: Type.Integer({ minimum: 1 }),
  since: Type.String(),
  until: Type.String(),
});
