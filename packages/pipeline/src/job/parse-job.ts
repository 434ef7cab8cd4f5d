// Validates one job document, purely, and returns either every problem found or a PushJob with defaults.
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import type { ValueError } from '@sinclair/typebox/value';
import { getDataset, isDatasetName } from '@sluice/schemas';
import { JobSchema } from './job-schema.js';
import type { JobDocument } from './job-schema.js';
import { showValue } from './job-issue.js';
import { innermostErrors } from './schema-errors.js';
import type { JobIssue } from './job-issue.js';
import { closestMatch } from './suggest.js';
import {
  DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS,
  DEFAULT_MAX_UPLOAD_RECORDS,
  MIN_MAX_UPLOAD_INTERVAL_SECONDS,
} from './push-job.js';
import type { JobScope, PushJob } from './push-job.js';
import type { OutputOptionsDocument } from './job-schema.js';
import { convertLogpullOptions } from './logpull-options.js';
import { resolveOutputFormat } from '../render/output-format.js';
import { parseRecordTemplate } from '../render/record-template.js';
import { parseFilter } from '../filter/parse-filter.js';
import type { CheckedFilter } from '../filter/filter-node.js';

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
  const output = effectiveOutputOptions(doc);
  const semantic = semanticIssues(doc, output, options);
  const filter = filterOf(doc);
  if (!filter.ok) semantic.push(...filter.issues);
  if (semantic.length > 0 || !filter.ok || !output.ok) return { ok: false, issues: semantic };
  return { ok: true, job: toPushJob(doc, output.options, filter.filter) };
}

function schemaIssues(document: unknown): JobIssue[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return [{ path: '', message: `a job must be a JSON object, got ${showValue(document)}` }];
  }
  const seen = new Set<string>();
  const issues: JobIssue[] = [];
  for (const error of [...Value.Errors(JobSchema, document)].flatMap(innermostErrors)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    issues.push({ path: error.path, message: describeSchemaError(error) });
  }
  return issues;
}

function describeSchemaError(error: ValueError): string {
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const key = error.path.split('/').pop() ?? '';
    const nested = error.path.lastIndexOf('/') > 0;
    const keys = nested ? Object.keys((error.schema as { properties?: object }).properties ?? {}) : JOB_KEYS;
    const hint = closestMatch(key, keys);
    return `"${key}" is not ${nested ? `allowed in ${error.path.slice(0, error.path.lastIndexOf('/'))}` : 'a job field'}${hint ? ` (did you mean "${hint}"?)` : ''}`;
  }
  const allowedText = (error.schema as { allowed?: string }).allowed;
  if (error.type === ValueErrorType.ObjectRequiredProperty) {
    return `is required${allowedText ? `: ${allowedText}` : ''}`;
  }
  return `${showValue(error.value)} is not allowed; expected ${allowedText ?? error.message}`;
}

function semanticIssues(doc: JobDocument, output: EffectiveOutput, options: ParseJobOptions): JobIssue[] {
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
  if (!output.ok) {
    issues.push(...output.issues);
  } else {
    const fieldNames = output.options.field_names;
    if (fieldNames === undefined) {
      issues.push({ path: '/output_options/field_names', message: `is required: a non-empty list of ${doc.dataset} fields, e.g. ["ClientIP","EdgeStartTimestamp","RayID"]` });
    }
    const template = output.options.record_template;
    if (template !== undefined && template !== null && template !== '') {
      const parsed = parseRecordTemplate(template);
      if (!parsed.ok) {
        issues.push({ path: '/output_options/record_template', message: parsed.message });
      } else {
        for (const name of parsed.fieldNames) {
          if (dataset.field(name)) continue;
          const hint = closestMatch(name, dataset.fieldNames);
          issues.push({ path: '/output_options/record_template', message: `{{ .${name} }}: "${name}" is not a field of ${doc.dataset}${hint ? ` (did you mean "${hint}"?)` : ''}` });
        }
      }
    }
    const base = output.from === 'output_options' ? '/output_options/field_names' : '/logpull_options';
    fieldNames?.forEach((name, i) => {
      if (dataset.field(name)) return;
      const hint = closestMatch(name, dataset.fieldNames);
      issues.push({
        path: output.from === 'output_options' ? `${base}/${i}` : base,
        message: `${showValue(name)} is not a field of ${doc.dataset}${hint ? ` (did you mean "${hint}"?)` : ''}`,
      });
    });
  }
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

type EffectiveOutput =
  | { ok: true; from: 'output_options' | 'logpull_options'; options: OutputOptionsDocument }
  | { ok: false; issues: JobIssue[] };

/** Logpush: `output_options` wins; the legacy `logpull_options` is used only when it is absent. */
function effectiveOutputOptions(doc: JobDocument): EffectiveOutput {
  if (doc.output_options !== undefined && doc.output_options !== null) return { ok: true, from: 'output_options', options: doc.output_options };
  if (doc.logpull_options !== undefined && doc.logpull_options !== null && doc.logpull_options !== '') {
    const converted = convertLogpullOptions(doc.logpull_options);
    return converted.ok ? { ok: true, from: 'logpull_options', options: converted.outputOptions } : converted;
  }
  return { ok: true, from: 'output_options', options: {} };
}

/** The filter is a JSON string; its own problems are reported under /filter with where inside it they are. */
function filterOf(doc: JobDocument): { ok: true; filter: CheckedFilter | undefined } | { ok: false; issues: JobIssue[] } {
  if (!isDatasetName(doc.dataset)) return { ok: true, filter: undefined };
  const result = parseFilter(doc.filter, getDataset(doc.dataset));
  if (result.ok) return result;
  return { ok: false, issues: result.issues.map((issue) => ({ path: '/filter', message: issue.path === '' ? issue.message : `at ${issue.path}: ${issue.message}` })) };
}

function toPushJob(doc: JobDocument, options: OutputOptionsDocument, filter: CheckedFilter | undefined): PushJob {
  const scope: JobScope = doc.zone_id !== undefined ? { kind: 'zone', zoneId: doc.zone_id } : { kind: 'account', accountId: doc.account_id ?? '' };
  return {
    id: doc.id,
    name: doc.name ?? '',
    dataset: doc.dataset as PushJob['dataset'],
    destinationConf: doc.destination_conf,
    enabled: doc.enabled ?? false,
    scope,
    fieldNames: options.field_names ?? [],
    filter,
    sampleRate: options.sample_rate ?? 1,
    output: resolveOutputFormat(options),
    maxUploadBytes: doc.max_upload_bytes ?? 0,
    maxUploadRecords: doc.max_upload_records || DEFAULT_MAX_UPLOAD_RECORDS,
    maxUploadIntervalSeconds: doc.max_upload_interval_seconds || DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS,
    startFrom: doc.start_from === undefined ? undefined : parseStartFrom(doc.start_from),
  };
}
