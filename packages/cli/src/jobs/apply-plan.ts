// What `sluice jobs apply` will do, worked out before any write: the file compared with what the API returns, job by job.
import { isDeepStrictEqual } from 'node:util';
import type { JobView } from '@sluice/api';
import type { WantedJob, WantedState } from './jobs-file.js';

export type JobStep =
  | { action: 'create'; name: string; body: Record<string, unknown> }
  /** `body` holds only the changed fields (and the ownership challenge when the destination changes). */
  | { action: 'update'; name: string; id: number; fields: string[]; body: Record<string, unknown> }
  | { action: 'unchanged'; name: string; id: number }
  | { action: 'delete'; name: string | null; id: number };

export interface CustomFieldsStep {
  zoneId: string;
  action: 'update' | 'unchanged';
  parameters: unknown;
}

export type ApplyPlan =
  | {
      ok: true;
      customFields: CustomFieldsStep[];
      /** File order first, then deletions (with --prune). */
      jobs: JobStep[];
      /** In the zone or account but not in the file, and not pruned. */
      leftAlone: JobView[];
    }
  /** Things the file asks for that the API cannot do (dataset or kind changes, ambiguous names): nothing is applied. */
  | { ok: false; conflicts: string[] };

/**
 * The file describes each job whole: a field it leaves out means the API's default (`null`; `enabled`
 * false; `kind` ""), so deleting `filter` from the file clears the job's filter. Fields the API never
 * returns are not compared: `id` (jobs are matched by name), `ownership_challenge` (write-only, sent
 * only when `destination_conf` changes) and the health fields.
 */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  enabled: false,
  kind: '',
  filter: null,
  output_options: null,
  logpull_options: null,
  frequency: null,
  max_upload_bytes: null,
  max_upload_records: null,
  max_upload_interval_seconds: null,
  start_from: null,
};
const NOT_COMPARED = new Set(['id', 'ownership_challenge', 'last_complete', 'last_error', 'error_message']);
const IMMUTABLE = ['dataset', 'kind'] as const;

export interface PlanInput {
  wanted: WantedState;
  /** The jobs of the zone or account, as the API lists them. */
  existing: readonly JobView[];
  /** Zone id → the custom fields the API has now (undefined: none). Only zones the file names. */
  currentCustomFields: ReadonlyMap<string, unknown>;
  prune: boolean;
  /** `zones/<id>` or `accounts/<id>`, for messages. */
  scopePath: string;
}

export function planApply(input: PlanInput): ApplyPlan {
  const byName = groupByName(input.existing);
  const conflicts: string[] = [];
  const jobs: JobStep[] = [];
  for (const job of input.wanted.jobs) {
    const matches = byName.get(job.name) ?? [];
    if (matches.length > 1) {
      conflicts.push(`${matches.length} jobs in ${input.scopePath} are named "${job.name}" (ids ${matches.map((m) => m.id).join(', ')}): rename or delete all but one, then apply again`);
      continue;
    }
    const current = matches[0];
    if (current === undefined) {
      jobs.push({ action: 'create', name: job.name, body: job.body });
      continue;
    }
    const step = updateStep(job, current, conflicts);
    if (step !== undefined) jobs.push(step);
  }
  if (conflicts.length > 0) return { ok: false, conflicts };

  const names = new Set(input.wanted.jobs.map((job) => job.name));
  const others = input.existing.filter((job) => job.name === null || !names.has(job.name));
  if (input.prune) for (const job of others) jobs.push({ action: 'delete', name: job.name, id: job.id });
  const customFields = [...input.wanted.customFields].map(([zoneId, parameters]): CustomFieldsStep => ({
    zoneId,
    parameters,
    action: isDeepStrictEqual(parameters, input.currentCustomFields.get(zoneId)) ? 'unchanged' : 'update',
  }));
  return { ok: true, customFields, jobs, leftAlone: input.prune ? [] : others };
}

function updateStep(job: WantedJob, current: JobView, conflicts: string[]): JobStep | undefined {
  const shown = current as unknown as Record<string, unknown>;
  const fields = [...new Set(['dataset', 'destination_conf', ...Object.keys(DEFAULTS), ...Object.keys(job.body)])].filter((field) => !NOT_COMPARED.has(field));
  const changed = fields.filter((field) => !isDeepStrictEqual(normalise(field, wantedValue(job, field)), normalise(field, shown[field])));
  const fixed = IMMUTABLE.filter((field) => changed.includes(field));
  if (fixed.length > 0) {
    for (const field of fixed) {
      conflicts.push(`${job.name} (id ${current.id}): ${field} cannot change (the job has ${JSON.stringify(shown[field])}, the file says ${JSON.stringify(wantedValue(job, field))}); give the new job another name, or delete this one first`);
    }
    return undefined;
  }
  if (changed.length === 0) return { action: 'unchanged', name: job.name, id: current.id };
  const body = Object.fromEntries(changed.map((field) => [field, wantedValue(job, field)]));
  // A new destination needs a fresh challenge; the file's is sent along whenever the destination changes.
  if (changed.includes('destination_conf') && job.body['ownership_challenge'] !== undefined) body['ownership_challenge'] = job.body['ownership_challenge'];
  return { action: 'update', name: job.name, id: current.id, fields: changed, body };
}

function wantedValue(job: WantedJob, field: string): unknown {
  return field in job.body ? job.body[field] : (DEFAULTS[field] ?? null);
}

/** The API shows an unset field as null (`start_from`: absent) and an unset kind as "". */
function normalise(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return field === 'kind' ? '' : null;
  return value;
}

function groupByName(jobs: readonly JobView[]): Map<string, JobView[]> {
  const byName = new Map<string, JobView[]>();
  for (const job of jobs) {
    if (job.name === null) continue;
    byName.set(job.name, [...(byName.get(job.name) ?? []), job]);
  }
  return byName;
}
