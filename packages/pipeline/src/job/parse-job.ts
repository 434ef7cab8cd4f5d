// Validates one job document, purely, and returns either every problem found or a PushJob with defaults.
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import type { ValueError } from '@sinclair/typebox/value';
import { getDataset, isDatasetName } from '@sluice/schemas';
import { JobSchema } from './job-schema.js';
import type { JobDocument } from './job-schema.js';
import { showValue } from './job-issue.js';
import type { JobIssue } from './job-issue.js';
import { closestMatch } from './suggest.js';
import {
  DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS,
  DEFAULT_MAX_UPLOAD_RECORDS,
  MIN_MAX_UPLOAD_INTERVAL_SECONDS,
} from './push-job.js';
import type { JobScope, PushJob } from './push-job.js';

export interface ParseJobOptions {
  /**
   * Lowest accepted `max_upload_interval_seconds`. Logpush's is 30; tests and demos may lower it
   * (the pusher reads `SLUICE_MIN_UPLOAD_INTERVAL_SECONDS`).
   */
  minUploadIntervalSeconds?: number;
  /** Checks `destination_conf` and returns what is wrong with it, if anything. */
  checkDestination?: (destinationConf: string) => string | undefined;
}

export type ParseJobResult = { ok: true; job: PushJob } | { ok: false; issues: JobIssue[] };

const JOB_KEYS = Object.keys(JobSchema.properties);

export function parseJob(document: unknown, options: ParseJobOptions = {}): ParseJobResult {
  const issues = schemaIssues(document);
  if (issues.length > 0) return { ok: false, issues };
  const doc = document as JobDocument;
  const semantic = semanticIssues(doc, options);
  if (semantic.length > 0) return { ok: false, issues: semantic };
  return { ok: true, job: toPushJob(doc) };
}

function schemaIssues(document: unknown): JobIssue[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return [{ path: '', message: `a job must be a JSON object, got ${showValue(document)}` }];
  }
  const seen = new Set<string>();
  const issues: JobIssue[] = [];
  for (const error of Value.Errors(JobSchema, document)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    issues.push({ path: error.path, message: describeSchemaError(error) });
  }
  return issues;
}

function describeSchemaError(error: ValueError): string {
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const key = error.path.split('/').pop() ?? '';
    const hint = closestMatch(key, JOB_KEYS);
    return `"${key}" is not a job field${hint ? ` (did you mean "${hint}"?)` : ''}`;
  }
  const allowedText = (error.schema as { allowed?: string }).allowed;
  if (error.type === ValueErrorType.ObjectRequiredProperty) {
    return `is required${allowedText ? `: ${allowedText}` : ''}`;
  }
  return `${showValue(error.value)} is not allowed; expected ${allowedText ?? error.message}`;
}

function semanticIssues(doc: JobDocument, options: ParseJobOptions): JobIssue[] {
  const issues: JobIssue[] = [];
  if (!isDatasetName(doc.dataset)) {
    issues.push({ path: '/dataset', message: `${showValue(doc.dataset)} is not a known dataset; expected "http_requests" or "access_requests"` });
    return issues;
  }
  const dataset = getDataset(doc.dataset);
  if (dataset.scope === 'zone' && doc.zone_id === undefined) {
    issues.push({ path: '/zone_id', message: `is required for the zone dataset "${doc.dataset}"` });
  }
  if (dataset.scope === 'account' && doc.account_id === undefined) {
    issues.push({ path: '/account_id', message: `is required for the account dataset "${doc.dataset}"` });
  }
  if (doc.zone_id !== undefined && doc.account_id !== undefined) {
    issues.push({ path: '/account_id', message: 'a job is scoped to a zone or to an account, not both' });
  }
  const fieldNames = doc.output_options?.field_names;
  if (fieldNames === undefined) {
    issues.push({ path: '/output_options/field_names', message: `is required: a non-empty list of ${doc.dataset} fields` });
  }
  fieldNames?.forEach((name, i) => {
    if (dataset.field(name)) return;
    const hint = closestMatch(name, dataset.fieldNames);
    issues.push({
      path: `/output_options/field_names/${i}`,
      message: `${showValue(name)} is not a field of ${doc.dataset}${hint ? ` (did you mean "${hint}"?)` : ''}`,
    });
  });
  const minInterval = options.minUploadIntervalSeconds ?? MIN_MAX_UPLOAD_INTERVAL_SECONDS;
  const interval = doc.max_upload_interval_seconds;
  if (interval !== undefined && interval !== 0 && interval < minInterval) {
    issues.push({
      path: '/max_upload_interval_seconds',
      message: `${interval} is not allowed; expected an integer number of seconds from ${minInterval} to 300, or 0 for the default (30)`,
    });
  }
  if (doc.start_from !== undefined && parseStartFrom(doc.start_from) === undefined) {
    issues.push({ path: '/start_from', message: `${showValue(doc.start_from)} is not allowed; expected "earliest" or an RFC 3339 time such as 2026-01-31T12:00:00Z` });
  }
  const destinationProblem = options.checkDestination?.(doc.destination_conf);
  if (destinationProblem !== undefined) issues.push({ path: '/destination_conf', message: destinationProblem });
  return issues;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseStartFrom(text: string): 'earliest' | Date | undefined {
  if (text === 'earliest') return 'earliest';
  if (!RFC3339.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function toPushJob(doc: JobDocument): PushJob {
  const scope: JobScope = doc.zone_id !== undefined ? { kind: 'zone', zoneId: doc.zone_id } : { kind: 'account', accountId: doc.account_id ?? '' };
  return {
    id: doc.id,
    name: doc.name ?? '',
    dataset: doc.dataset as PushJob['dataset'],
    destinationConf: doc.destination_conf,
    enabled: doc.enabled ?? false,
    scope,
    fieldNames: doc.output_options?.field_names ?? [],
    maxUploadBytes: doc.max_upload_bytes ?? 0,
    maxUploadRecords: doc.max_upload_records || DEFAULT_MAX_UPLOAD_RECORDS,
    maxUploadIntervalSeconds: doc.max_upload_interval_seconds || DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS,
    startFrom: doc.start_from === undefined ? undefined : parseStartFrom(doc.start_from),
  };
}
