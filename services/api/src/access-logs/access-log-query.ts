// The access_requests route's query string, checked without IO: every bad parameter is named with the value it had.
import { parseRfc3339Nanos } from '@sluice/schemas';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1_000;
/** Longest text a filter may compare with: emails are at most 320 characters, the rest much less. */
export const MAX_FILTER_LENGTH = 512;

/** The fields of an event, in the order the API lists them; `deny_*` only ever appear on denied events. */
export const RESULT_FIELDS = ['user_email', 'ip_address', 'app_uid', 'app_domain', 'action', 'allowed', 'created_at', 'connection', 'country', 'ray_id', 'app_type', 'deny_reason_code', 'deny_reason'] as const;
export type ResultField = (typeof RESULT_FIELDS)[number];

/** The filters the official SDK 7.3 sends, each with its `<name>Op`. */
export const TEXT_FILTERS = ['app_uid', 'app_type', 'country_code', 'idp', 'ray_id'] as const;
export type TextFilterName = (typeof TEXT_FILTERS)[number];

export type AccessLogFilter =
  | { readonly name: 'email'; readonly op: 'eq' | 'neq' | 'contains' | 'not_contains'; readonly value: string }
  | { readonly name: TextFilterName; readonly op: 'eq' | 'neq'; readonly value: string }
  | { readonly name: 'allowed' | 'non_identity'; readonly op: 'eq' | 'neq'; readonly value: boolean };

export interface AccessLogQuery {
  readonly accountId: string;
  /** Inclusive, nanoseconds since the epoch. */
  readonly sinceNs: bigint | undefined;
  /** Exclusive. */
  readonly untilNs: bigint | undefined;
  readonly direction: 'asc' | 'desc';
  /** Events in the answer: `limit`, or `per_page` when smaller. */
  readonly take: number;
  /** Events skipped before the answer: (page - 1) × per_page. */
  readonly skip: number;
  readonly page: number;
  readonly perPage: number;
  readonly filters: readonly AccessLogFilter[];
  /** Undefined: every field. */
  readonly fields: readonly ResultField[] | undefined;
}

export interface ParameterIssue {
  readonly parameter: string;
  readonly message: string;
}

export type ParseQueryResult = { readonly ok: true; readonly query: AccessLogQuery } | { readonly ok: false; readonly issues: readonly ParameterIssue[] };

const WHOLE = /^[0-9]{1,7}$/;

/** `"abc"`, capped: the value goes back to the caller in the error, so it is quoted and short. */
function shown(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

/** Reads `request.query` (fastify's parsed query string); `accountId` comes from the path, already checked. */
export function parseAccessLogQuery(accountId: string, raw: unknown): ParseQueryResult {
  const params = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const issues: ParameterIssue[] = [];
  const bad = (parameter: string, value: string, expected: string): undefined => {
    issues.push({ parameter, message: `${parameter}=${shown(value)} is not valid: expected ${expected}` });
    return undefined;
  };
  /** One value per parameter: `?limit=1&limit=2` is refused rather than guessed at. */
  const single = (name: string): string | undefined => {
    const value = params[name];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return bad(name, value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(','), 'it once, not repeated');
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  };
  const whole = (name: string, min: number, max: number, example: number): number | undefined => {
    const text = single(name);
    if (text === undefined) return undefined;
    const value = WHOLE.test(text) ? Number(text) : NaN;
    return value >= min && value <= max ? value : bad(name, text, `a whole number from ${min} to ${max}, e.g. ${example}`);
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const text = single(name);
    if (text === undefined) return undefined;
    return (allowed as readonly string[]).includes(text) ? (text as T) : bad(name, text, allowed.map((a) => `"${a}"`).join(' or '));
  };
  const bool = (name: string): boolean | undefined => {
    const value = oneOf(name, ['true', 'false'] as const);
    return value === undefined ? undefined : value === 'true';
  };
  const time = (name: string): bigint | undefined => {
    const text = single(name);
    if (text === undefined) return undefined;
    return parseRfc3339Nanos(text) ?? bad(name, text, 'an RFC 3339 time, e.g. 2020-07-01T05:20:00Z');
  };
  const filterText = (name: string): string | undefined => {
    const text = single(name);
    if (text === undefined) return undefined;
    return text.length <= MAX_FILTER_LENGTH ? text : bad(name, text, `at most ${MAX_FILTER_LENGTH} characters`);
  };

  const limit = whole('limit', 1, MAX_LIMIT, DEFAULT_LIMIT);
  const perPage = whole('per_page', 1, MAX_LIMIT, DEFAULT_LIMIT);
  const page = whole('page', 1, 1_000_000, 2);
  const direction = oneOf('direction', ['desc', 'asc'] as const) ?? 'desc';
  const sinceNs = time('since');
  const untilNs = time('until');
  if (sinceNs !== undefined && untilNs !== undefined && untilNs <= sinceNs) {
    issues.push({ parameter: 'until', message: `until=${shown(single('until') ?? '')} is not valid: expected a time after since=${shown(single('since') ?? '')} (since is inclusive, until exclusive)` });
  }

  const filters: AccessLogFilter[] = [];
  const emailOp = oneOf('emailOp', ['eq', 'neq', 'contains'] as const);
  const emailExact = bool('email_exact');
  const email = filterText('email');
  if (email !== undefined) {
    // email_exact=true wins over contains; neq stays an exclusion, exact or by substring (the SDK's documented rules).
    const exact = emailExact === true || emailOp === 'eq';
    const negate = emailOp === 'neq';
    filters.push({ name: 'email', op: exact ? (negate ? 'neq' : 'eq') : negate ? 'not_contains' : 'contains', value: email });
  }
  for (const name of ['allowed', 'non_identity'] as const) {
    const op = oneOf(`${name}Op`, ['eq', 'neq'] as const) ?? 'eq';
    const value = bool(name);
    if (value !== undefined) filters.push({ name, op, value });
  }
  for (const name of TEXT_FILTERS) {
    const op = oneOf(`${name}Op`, ['eq', 'neq'] as const) ?? 'eq';
    const value = filterText(name);
    if (value !== undefined) filters.push({ name, op, value });
  }
  // Deprecated in the SDK and no longer applied by Cloudflare: accepted, checked, ignored.
  oneOf('user_idOp', ['eq', 'neq'] as const);
  filterText('user_id');

  const fields = fieldList(single('fields'), bad);
  if (issues.length > 0) return { ok: false, issues };
  const size = perPage ?? limit ?? DEFAULT_LIMIT;
  const pageNumber = page ?? 1;
  return {
    ok: true,
    query: {
      accountId,
      sinceNs,
      untilNs,
      direction,
      take: Math.min(limit ?? MAX_LIMIT, size),
      skip: (pageNumber - 1) * size,
      page: pageNumber,
      perPage: size,
      filters,
      fields,
    },
  };
}

function fieldList(text: string | undefined, bad: (parameter: string, value: string, expected: string) => undefined): readonly ResultField[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(RESULT_FIELDS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) return bad('fields', text, `a comma-separated list of ${RESULT_FIELDS.join(', ')} (unknown: ${unknown.map((u) => JSON.stringify(u)).join(', ')})`);
  return [...new Set(names as ResultField[])];
}
