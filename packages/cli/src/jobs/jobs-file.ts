// Reads the file `sluice jobs apply` applies: the pusher's `{"jobs":[...], "custom_fields":{...}}`, jobs named, in one zone or account.
import { closestMatch } from '@sluice/pipeline';
import type { ApiScope } from '../api-client/api-target.js';

/** One job as the file wants it; `body` is what POST or PUT sends (without `id`, `zone_id`, `account_id`). */
export interface WantedJob {
  name: string;
  body: Record<string, unknown>;
}

export interface WantedState {
  jobs: WantedJob[];
  /** Zone id → the custom-fields `action_parameters` the file wants for it. */
  customFields: Map<string, unknown>;
}

export type ReadJobsFileResult = { ok: true; wanted: WantedState } | { ok: false; issues: string[] };

const FILE_KEYS = ['jobs', 'custom_fields'];
/** Dropped from bodies: jobs are matched by name, and the scope comes from --zone or --account. */
const SCOPE_KEYS = ['zone_id', 'account_id'] as const;

/**
 * Only what apply itself needs is checked here (a name per job, the scope, the file's shape); every
 * field's value is the API's to judge, and its errors name the field.
 */
export function readJobsFile(text: string, scope: ApiScope): ReadJobsFileResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [`not valid JSON: ${(error as Error).message}`] };
  }
  if (!isObject(document) || !Array.isArray(document['jobs'])) return { ok: false, issues: ['expected {"jobs":[...]} (the pusher\'s jobs file format)'] };
  const issues: string[] = [];
  for (const key of Object.keys(document)) {
    if (FILE_KEYS.includes(key)) continue;
    const hint = closestMatch(key, FILE_KEYS);
    issues.push(`/${key}: not a jobs-file key${hint ? ` (did you mean "${hint}"?)` : ''}; expected "jobs" and optionally "custom_fields"`);
  }
  const jobs = readJobs(document['jobs'] as unknown[], scope, issues);
  const customFields = readCustomFields(document['custom_fields'], scope, issues);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, wanted: { jobs, customFields } };
}

function readJobs(entries: unknown[], scope: ApiScope, issues: string[]): WantedJob[] {
  const own = scope.kind === 'zones' ? 'zone_id' : 'account_id';
  const seen = new Map<string, number>();
  const jobs: WantedJob[] = [];
  entries.forEach((entry, index) => {
    if (!isObject(entry)) {
      issues.push(`/jobs/${index}: a job must be a JSON object`);
      return;
    }
    const name = entry['name'];
    if (typeof name !== 'string' || name === '') {
      issues.push(`/jobs/${index}/name: every job needs a name: apply finds the job to update by it`);
      return;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) issues.push(`/jobs/${index}/name: "${name}" is also the name of /jobs/${earlier}; names must be unique`);
    seen.set(name, index);
    if (typeof entry['dataset'] !== 'string') issues.push(`/jobs/${index}/dataset: job "${name}" needs a dataset, e.g. "http_requests"`);
    for (const key of SCOPE_KEYS) {
      const value = entry[key];
      if (value === undefined || value === null) continue;
      if (key !== own) issues.push(`/jobs/${index}/${key}: job "${name}" belongs to ${key === 'zone_id' ? 'a zone' : 'an account'}, but apply was given --${scope.kind === 'zones' ? 'zone' : 'account'}`);
      else if (value !== scope.id) issues.push(`/jobs/${index}/${key}: job "${name}" is for ${JSON.stringify(value)}, not ${scope.id}; apply one zone or account at a time`);
    }
    const { id: _id, zone_id: _zone, account_id: _account, ...body } = entry;
    jobs.push({ name, body });
  });
  return jobs;
}

function readCustomFields(document: unknown, scope: ApiScope, issues: string[]): Map<string, unknown> {
  const wanted = new Map<string, unknown>();
  if (document === undefined) return wanted;
  if (!isObject(document)) {
    issues.push('/custom_fields: expected {"<zone id>": {"request_fields": [...], ...}}');
    return wanted;
  }
  for (const [zoneId, parameters] of Object.entries(document)) {
    if (scope.kind !== 'zones') issues.push(`/custom_fields/${zoneId}: custom fields belong to zones; apply them with --zone`);
    else if (zoneId !== scope.id) issues.push(`/custom_fields/${zoneId}: not the zone being applied (${scope.id}); apply one zone at a time`);
    else wanted.set(zoneId, parameters);
  }
  return wanted;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
