// Reads a `{"jobs":[...]}` document: every job validated, every problem reported with the job it belongs to.
import { JobConfigError, showValue } from './job-issue.js';
import type { JobIssue } from './job-issue.js';
import { parseJob } from './parse-job.js';
import type { ParseJobOptions } from './parse-job.js';
import type { PushJob } from './push-job.js';

/** Throws a JobConfigError naming the job (index, id, name) and every bad field; returns all jobs otherwise. */
export function parseJobsFile(text: string, source: string, options: ParseJobOptions = {}): PushJob[] {
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
  if (issues.length > 0) throw new JobConfigError(issues, source);
  return parsed;
}

function describeEntry(entry: unknown, index: number): string {
  const job = (typeof entry === 'object' && entry !== null ? entry : {}) as { id?: unknown; name?: unknown };
  const id = typeof job.id === 'number' ? ` id ${job.id}` : '';
  const name = typeof job.name === 'string' && job.name !== '' ? ` "${job.name}"` : '';
  return `job #${index}${id}${name}`;
}
