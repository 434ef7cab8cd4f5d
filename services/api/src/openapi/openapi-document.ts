// The OpenAPI 3.1 document, generated from the route specs and the very TypeBox schemas the handlers validate with.
import type { TSchema } from '@sinclair/typebox';
import { datasetNames } from '@sluice/schemas';
import { API_ERRORS } from '../api-errors.js';
import type { ApiErrorName } from '../api-errors.js';
import { CustomFieldsRulesetSchema, JobCreateBodySchema, JobUpdateBodySchema, JobViewSchema } from '../api-schemas.js';
import { documentPath } from '../route-spec.js';
import type { RouteSpec } from '../route-spec.js';
import type { ScopeKind } from '../auth/scope-guard.js';

/** Shown as `info.version`: the version of this document's shape, raised when a route or schema changes. */
export const OPENAPI_DOCUMENT_VERSION = '1.0.0';

/** Schemas that appear in many operations go into components and are referenced by name. */
const NAMED: readonly [string, TSchema][] = [
  ['Job', JobViewSchema],
  ['JobCreate', JobCreateBodySchema],
  ['JobUpdate', JobUpdateBodySchema],
  ['CustomFieldsRuleset', CustomFieldsRulesetSchema],
];

/** Errors every scoped route can answer with; body routes add the body-format ones. */
const COMMON_ERRORS: readonly ApiErrorName[] = ['MISSING_CREDENTIALS', 'MALFORMED_AUTHORIZATION', 'INVALID_TOKEN', 'UNKNOWN_API_KEY', 'FORBIDDEN', 'INVALID_IDENTIFIER', 'RATE_LIMITED', 'INTERNAL'];
const BODY_ERRORS: readonly ApiErrorName[] = ['MALFORMED_JSON', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];

export function buildOpenApiDocument(routes: readonly RouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    for (const kind of route.kinds) {
      const path = documentPath(kind, route.path);
      paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route, kind) };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sluice Logpush-compatible API',
      version: OPENAPI_DOCUMENT_VERSION,
      description:
        "Cloudflare Logpush's jobs API (v4 envelope) served by Sluice. Every response is {success, errors, messages, result}; " +
        'errors carry a code (≥ 1000, or 971 with HTTP 429 for a caller over its rate limit, as Cloudflare), and field errors name the field and point at it with source.pointer.',
    },
    servers: [{ url: '/client/v4' }],
    security: [{ bearerToken: [] }, { apiEmail: [], apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token configured for the server, scoped to zones/accounts with read or write access.' },
        apiEmail: { type: 'apiKey', in: 'header', name: 'X-Auth-Email' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Auth-Key' },
      },
      schemas: {
        ...Object.fromEntries(NAMED.map(([name, schema]) => [name, toJsonSchema(schema)])),
        ErrorItem: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'integer', minimum: 971 },
            message: { type: 'string' },
            source: { type: 'object', properties: { pointer: { type: 'string', description: 'JSON pointer of the field at fault' } } },
          },
        },
        Failure: {
          type: 'object',
          required: ['success', 'errors', 'messages', 'result'],
          properties: { success: { const: false }, errors: { type: 'array', items: { $ref: '#/components/schemas/ErrorItem' } }, messages: { type: 'array' }, result: { type: 'null' } },
        },
      },
    },
  };
}

function operation(route: RouteSpec, kind: ScopeKind): Record<string, unknown> {
  const errors = [...route.errors, ...COMMON_ERRORS, ...(route.body ? BODY_ERRORS : [])];
  const byStatus = new Map<number, string[]>();
  for (const name of new Set(errors)) {
    const { code, status } = API_ERRORS[name];
    byStatus.set(status, [...(byStatus.get(status) ?? []), `${code} (${name})`]);
  }
  return {
    operationId: `${route.operationId}${kind === 'zones' ? 'Zone' : 'Account'}`,
    summary: route.summary,
    tags: [route.path.startsWith('/rulesets') ? 'custom fields' : route.path.startsWith('/sluice/') ? 'sluice' : 'logpush'],
    parameters: [...parameters(route.path, kind), ...queryParameters(route)],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: reference(route.body) } } } } : {}),
    responses: {
      200: {
        description: 'Success',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['success', 'errors', 'messages', 'result', ...(route.resultInfo ? ['result_info'] : [])],
              properties: {
                success: { const: true },
                errors: { type: 'array', maxItems: 0 },
                messages: { type: 'array' },
                result: reference(route.result),
                ...(route.resultInfo ? { result_info: toJsonSchema(route.resultInfo) } : {}),
              },
            },
          },
        },
      },
      ...Object.fromEntries(
        [...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [status, { description: `Error codes: ${codes.join(', ')}`, content: { 'application/json': { schema: { $ref: '#/components/schemas/Failure' } } } }]),
      ),
    },
  };
}

function parameters(path: string, kind: ScopeKind): unknown[] {
  const scope = kind === 'zones' ? 'zone_id' : 'account_id';
  const list: unknown[] = [{ name: scope, in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{32}$' } }];
  if (path.includes('{job_id}')) list.push({ name: 'job_id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } });
  if (path.includes('{dataset}')) list.push({ name: 'dataset', in: 'path', required: true, schema: { type: 'string', enum: [...datasetNames] } });
  return list;
}

/** Each property of the route's query schema as an `in: query` parameter. */
function queryParameters(route: RouteSpec): unknown[] {
  if (!route.query) return [];
  const required = new Set(route.query.required ?? []);
  return Object.entries(route.query.properties).map(([name, schema]) => {
    const { description, ...rest } = toJsonSchema(schema) as Record<string, unknown>;
    return { name, in: 'query', required: required.has(name), ...(typeof description === 'string' ? { description } : {}), schema: rest };
  });
}

/** A named schema (or an array of one) as a $ref; anything else inline. */
function reference(schema: TSchema): unknown {
  const named = NAMED.find(([, candidate]) => candidate === schema);
  if (named) return { $ref: `#/components/schemas/${named[0]}` };
  const items = (schema as { items?: TSchema }).items;
  const namedItems = items && NAMED.find(([, candidate]) => candidate === items);
  if (namedItems) return { type: 'array', items: { $ref: `#/components/schemas/${namedItems[0]}` } };
  return toJsonSchema(schema);
}

/**
 * Plain JSON Schema: TypeBox's symbol keys dropped, and each schema's `allowed` (the text validation
 * errors quote) offered to readers as its `description`.
 */
export function toJsonSchema(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema), (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const { allowed, ...rest } = value as Record<string, unknown>;
    if (typeof allowed !== 'string') return value;
    return { ...rest, description: typeof rest['description'] === 'string' ? rest['description'] : allowed };
  });
}
