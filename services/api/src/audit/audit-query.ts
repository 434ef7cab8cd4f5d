// The audit route's query (email, since, until, job_id, limit), checked purely: each problem names the parameter and its value.
import { parseRfc3339Nanos } from '@sluice/schemas';

/** Results per answer unless `limit` says otherwise, and the most it may ask for. */
export const DEFAULT_AUDIT_LIMIT = 1_000;
export const MAX_AUDIT_LIMIT = 10_000;
/** The longest time range one query may scan, in days: one listing per day of a `{DATE}` path. */
export const MAX_AUDIT_RANGE_DAYS = 366;
/** RFC 5321's limit on an address; anything longer identifies no user. */
export const MAX_EMAIL_LENGTH = 320;

const NS_PER_MS = 1_000_000n;

export interface AuditQuery {
  /** Matched exactly (case and all) against `RequestHeaders.cf-access-user`. */
  email: string;
  /** Inclusive, nanoseconds since the epoch. */
  sinceNs: bigint;
  /** Exclusive, nanoseconds since the epoch; `now` when the caller gave none. */
  untilNs: bigint;
  jobId: number | undefined;
  limit: number;
}

export interface QueryIssue {
  /** The query parameter at fault. */
  param: string;
  message: string;
}

export type ParseAuditQueryResult = { ok: true; query: AuditQuery } | { ok: false; issues: QueryIssue[] };

const KNOWN = new Set(['email', 'since', 'until', 'job_id', 'limit']);

/** `query`: the parsed query string (a repeated parameter arrives as an array); `nowMs` stands in for a missing `until`. */
export function parseAuditQuery(query: Readonly<Record<string, unknown>>, nowMs: number): ParseAuditQueryResult {
  const issues: QueryIssue[] = [];
  const text = (param: string): string | undefined => {
    const value = query[param];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      issues.push({ param, message: `${param} was given more than once; give it once` });
      return undefined;
    }
    return value;
  };
  for (const param of Object.keys(query)) {
    if (!KNOWN.has(param)) issues.push({ param, message: `unknown parameter "${clip(param)}"; known: ${[...KNOWN].join(', ')}` });
  }

  const email = text('email');
  if (email === undefined && query['email'] === undefined) issues.push({ param: 'email', message: 'email is required: the user whose requests to list, e.g. email=alice@example.com' });
  // eslint-disable-next-line no-control-regex -- control characters identify no user
  else if (email !== undefined && (email.trim() === '' || email.length > MAX_EMAIL_LENGTH || /[\s\u0000-\u001f]/.test(email))) {
    issues.push({ param: 'email', message: `email "${clip(email)}" is not a user identity: 1–${MAX_EMAIL_LENGTH} characters without spaces or control characters, e.g. alice@example.com` });
  }

  const sinceText = text('since');
  const since = sinceText === undefined ? undefined : time('since', sinceText, issues);
  if (sinceText === undefined && query['since'] === undefined) issues.push({ param: 'since', message: 'since is required: an RFC 3339 time, e.g. since=2026-01-31T12:00:00Z' });
  const untilText = text('until');
  const until = untilText === undefined ? BigInt(nowMs) * NS_PER_MS : time('until', untilText, issues);

  const jobText = text('job_id');
  let jobId: number | undefined;
  if (jobText !== undefined) {
    jobId = Number(jobText);
    if (!/^[1-9][0-9]*$/.test(jobText) || !Number.isSafeInteger(jobId)) issues.push({ param: 'job_id', message: `job_id "${clip(jobText)}" is not an integer ≥ 1, e.g. job_id=3` });
  }

  const limitText = text('limit');
  let limit = DEFAULT_AUDIT_LIMIT;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!/^[0-9]+$/.test(limitText) || limit < 1 || limit > MAX_AUDIT_LIMIT) issues.push({ param: 'limit', message: `limit "${clip(limitText)}" is not an integer from 1 to ${MAX_AUDIT_LIMIT}` });
  }

  if (since !== undefined && until !== undefined) {
    if (until <= since) issues.push({ param: 'until', message: `until "${clip(untilText ?? 'now')}" is not after since "${clip(sinceText ?? '')}": the range is [since, until)` });
    else if (until - since > BigInt(MAX_AUDIT_RANGE_DAYS) * 86_400_000n * NS_PER_MS) {
      issues.push({ param: 'since', message: `since "${clip(sinceText ?? '')}" is more than ${MAX_AUDIT_RANGE_DAYS} days before until; narrow the range` });
    }
  }
  if (issues.length > 0 || email === undefined || since === undefined || until === undefined) return { ok: false, issues };
  return { ok: true, query: { email, sinceNs: since, untilNs: until, jobId, limit } };
}

function time(param: string, value: string, issues: QueryIssue[]): bigint | undefined {
  const nanos = parseRfc3339Nanos(value);
  if (nanos === undefined) issues.push({ param, message: `${param} "${clip(value)}" is not an RFC 3339 time, e.g. 2026-01-31T12:00:00Z` });
  return nanos;
}

/** Values are echoed, but never at length. */
function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
