// Turns a POST or PUT body into the job document to validate: scope from the path, PUT merged over the stored job.
import { getDataset, isDatasetName } from '@sluice/schemas';
import type { StoredJob } from '@sluice/job-store';
import type { BodyIssue } from './body/check-body.js';
import { showValue } from '@sluice/pipeline';
import type { RouteScope } from './auth/scope-guard.js';
import { READ_ONLY_FIELDS } from './job-view.js';

/** Fields PUT may not change (Logpush: `dataset` and `kind` are fixed at creation). */
export const IMMUTABLE_FIELDS = ['dataset', 'kind'] as const;

/** An id that satisfies the schema while the real one is not yet assigned. */
const ID_PENDING = 1;

export type JobDraft = { ok: true; document: Record<string, unknown> } | { ok: false; issues: BodyIssue[] };

/**
 * POST: the body as a job of the path's zone or account. Read-only fields are ignored (so a job read
 * with GET can be posted again); `null` means "not set", as Logpush's API returns unset fields as null.
 */
export function draftNewJob(body: unknown, scope: RouteScope): JobDraft {
  if (!isObject(body)) return { ok: false, issues: [{ path: '', message: `a job must be a JSON object, got ${showValue(body)}` }] };
  const issues = scopeIssues(body, scope);
  if (issues.length > 0) return { ok: false, issues };
  const document = withoutNulls({ ...withoutReadOnly(body), id: ID_PENDING, [scopeKey(scope)]: scope.id });
  return { ok: true, document };
}

/** PUT: the fields sent replace the stored ones (a shallow merge); `null` unsets a field. */
export function draftUpdatedJob(body: unknown, scope: RouteScope, existing: StoredJob): JobDraft {
  if (!isObject(body)) return { ok: false, issues: [{ path: '', message: `a job update must be a JSON object, got ${showValue(body)}` }] };
  const issues = scopeIssues(body, scope);
  if (body['id'] !== undefined && body['id'] !== null && body['id'] !== existing.id) {
    issues.push({ path: '/id', message: `${showValue(body['id'])} is not this job's id (${existing.id}); leave id out or send the job's own` });
  }
  if (issues.length > 0) return { ok: false, issues };
  const document = withoutNulls({ ...existing, ...withoutReadOnly(body), id: existing.id, [scopeKey(scope)]: scope.id });
  return { ok: true, document };
}

/** What PUT would change that cannot change. Sending the current value is fine. */
export function immutableIssues(body: Record<string, unknown>, existing: StoredJob): BodyIssue[] {
  const current: Record<(typeof IMMUTABLE_FIELDS)[number], unknown> = { dataset: existing.dataset, kind: existing.kind ?? '' };
  return IMMUTABLE_FIELDS.flatMap((field) => {
    const sent = body[field];
    if (sent === undefined || sent === current[field]) return [];
    return [{ path: `/${field}`, message: `cannot be changed (this job's ${field} is ${showValue(current[field])}, ${showValue(sent)} was sent); create a new job instead` }];
  });
}

/** The job as stored: the write-only ownership token is never kept. */
export function toStored(document: Record<string, unknown>, id: number): StoredJob {
  const { ownership_challenge: _token, ...rest } = document;
  return { ...rest, id, enabled: rest['enabled'] === true } as StoredJob;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scopeKey(scope: RouteScope): 'zone_id' | 'account_id' {
  return scope.kind === 'zones' ? 'zone_id' : 'account_id';
}

/** The scope comes from the path; a body may repeat it but not contradict it, and the dataset must live there. */
function scopeIssues(body: Record<string, unknown>, scope: RouteScope): BodyIssue[] {
  const issues: BodyIssue[] = [];
  const own = scopeKey(scope);
  const other = own === 'zone_id' ? 'account_id' : 'zone_id';
  const noun = scope.kind === 'zones' ? 'zone' : 'account';
  if (body[own] !== undefined && body[own] !== null && body[own] !== scope.id) {
    issues.push({ path: `/${own}`, message: `${showValue(body[own])} is not the ${noun} in the path (${scope.id}); leave ${own} out` });
  }
  if (body[other] !== undefined && body[other] !== null) {
    issues.push({ path: `/${other}`, message: `jobs under /${scope.path} belong to that ${noun}; leave ${other} out` });
  }
  const dataset = body['dataset'];
  if (isDatasetName(dataset)) {
    const home = getDataset(dataset).scope;
    if ((home === 'zone') !== (scope.kind === 'zones')) {
      issues.push({ path: '/dataset', message: `"${dataset}" is ${home === 'zone' ? 'a zone' : 'an account'} dataset: its jobs live under /${home === 'zone' ? 'zones/{zone_id}' : 'accounts/{account_id}'}/logpush/jobs` });
    }
  }
  return issues;
}

function withoutReadOnly(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  return copy;
}

function withoutNulls(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([, value]) => value !== null));
}
