// Reads a jobs file — `{"jobs":[...], "custom_fields":{...}}` — every job validated, every problem reported with the job it belongs to.
import { JobConfigError, showValue } from './job-issue.js';
import type { JobIssue } from './job-issue.js';
import { parseJob } from './parse-job.js';
import type { ParseJobOptions } from './parse-job.js';
import type { PushJob } from './push-job.js';
import { parseCustomFieldsByZone } from '../custom-fields/parse-custom-fields.js';
import type { CustomFieldsByZone } from '../custom-fields/custom-field-set.js';
import { closestMatch } from './suggest.js';

/** What a jobs file configures: the jobs, and the custom fields of the zones that have them. */
export interface JobsConfig {
  jobs: PushJob[];
  customFields: CustomFieldsByZone;
}

const FILE_KEYS = ['jobs', 'custom_fields'];

/** Throws a JobConfigError naming the job (index, id, name) and every bad field; returns all jobs otherwise. */
export function parseJobsFile(text: string, source: string, options: ParseJobOptions = {}): JobsConfig {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new JobConfigError([{ path: '', message: `not valid JSON: ${(error as Error).message}` }], source);
  }
  const jobs = (document as { jobs?: unknown } | null)?.jobs;
  if (typeof document !== 'object' || document === null || !Array.isArray(jobs)) {
    throw new JobConfigError([{ path: '/jobs', message: `expected {"jobs":[...]}, got ${showValue(document)}` }], source);
  }
  const parsed: PushJob[] = [];
  const issues: JobIssue[] = [];
  for (const key of Object.keys(document)) {
    if (FILE_KEYS.includes(key)) continue;
    const hint = closestMatch(key, FILE_KEYS);
    issues.push({ path: `/${key}`, message: `"${key}" is not a jobs-file key${hint ? ` (did you mean "${hint}"?)` : ''}; expected "jobs" and optionally "custom_fields"` });
  }
  const customFieldsDocument = (document as { custom_fields?: unknown }).custom_fields;
  const customFields = customFieldsDocument === undefined ? { ok: true as const, byZone: new Map() } : parseCustomFieldsByZone(customFieldsDocument);
  if (!customFields.ok) {
    for (const issue of customFields.issues) issues.push({ path: `/custom_fields${issue.path}`, message: `custom fields: ${issue.message}` });
  }
  jobs.forEach((entry, index) => {
    const result = parseJob(entry, options);
    if (result.ok) {
      parsed.push(result.job);
      return;
    }
    const label = describeEntry(entry, index);
    for (const issue of result.issues) issues.push({ path: `/jobs/${index}${issue.path}`, message: `${label}: ${issue.message}` });
  });
  const ids = new Map<number, number>();
  parsed.forEach((job, index) => {
    const earlier = ids.get(job.id);
    if (earlier !== undefined) issues.push({ path: `/jobs/${index}/id`, message: `job id ${job.id} is used twice (also /jobs/${earlier})` });
    ids.set(job.id, index);
  });
  if (issues.length > 0 || !customFields.ok) throw new JobConfigError(issues, source);
  return { jobs: parsed, customFields: customFields.byZone };
}

function describeEntry(entry: unknown, index: number): string {
  const job = (typeof entry === 'object' && entry !== null ? entry : {}) as { id?: unknown; name?: unknown };
  const id = typeof job.id === 'number' ? ` id ${job.id}` : '';
  const name = typeof job.name === 'string' && job.name !== '' ? ` "${job.name}"` : '';
  return `job #${index}${id}${name}`;
}
