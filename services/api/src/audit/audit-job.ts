// Which job's objects can answer "what did this user do": an http_requests job to s3:// or r2:// that stores the user, read back exactly.
import type { StoredJob } from '@sluice/job-store';
import { parseJob } from '@sluice/pipeline';
import type { CustomFieldsDocument, OutputFormat } from '@sluice/pipeline';
import { READABLE_SCHEMES } from '@sluice/destinations';

/** The custom field that carries the user, and the header it is kept under in `RequestHeaders`. */
export const USER_HEADER = 'cf-access-user';
export const USER_FIELD = 'RequestHeaders';
/** Orders the session and bounds it in time. */
export const TIME_FIELD = 'EdgeStartTimestamp';

/** What the audit reads from a job: where its objects are, which fields they hold and how they are written. */
export interface AuditJob {
  id: number;
  name: string;
  /** Holds credentials: never shown, logged or put in an error. */
  destinationConf: string;
  fieldNames: readonly string[];
  format: OutputFormat;
  /** Whole lines written before a batch's first record (a CSV header), skipped when reading. */
  headerLines: number;
}

export type PickJobResult =
  | { ok: true; job: AuditJob }
  /** `jobId` named a job of another zone, or none. */
  | { ok: false; code: 'JOB_NOT_FOUND'; message: string }
  /** No job (or not the named one) can answer; the message says why, job by job. */
  | { ok: false; code: 'AUDIT_NO_SUITABLE_JOB'; message: string };

export interface PickJobInput {
  zoneId: string;
  jobs: Iterable<StoredJob>;
  /** The zone's custom fields, if it has any. */
  customFields: CustomFieldsDocument | undefined;
  /** The job the caller named; otherwise the zone's lowest-id job that qualifies. */
  jobId: number | undefined;
}

export function pickAuditJob(input: PickJobInput): PickJobResult {
  const zoneJobs = [...input.jobs].filter((job) => job.zone_id === input.zoneId).sort((a, b) => a.id - b.id);
  const userLogged = logsUser(input.customFields);
  if (input.jobId !== undefined) {
    const named = zoneJobs.find((job) => job.id === input.jobId);
    if (named === undefined) return { ok: false, code: 'JOB_NOT_FOUND', message: `job ${input.jobId} not found in zones/${input.zoneId}` };
    // A job named explicitly may be disabled: the objects it stored are still there to read.
    const checked = checkJob(named, userLogged, false);
    return checked.ok ? checked : { ok: false, code: 'AUDIT_NO_SUITABLE_JOB', message: `job ${named.id}${label(named)} cannot answer an audit: ${checked.reason}` };
  }
  const reasons: string[] = [];
  for (const job of zoneJobs) {
    const checked = checkJob(job, userLogged, true);
    if (checked.ok) return checked;
    reasons.push(`job ${job.id}${label(job)}: ${checked.reason}`);
  }
  const why = reasons.length === 0 ? `zones/${input.zoneId} has no jobs` : reasons.join('; ');
  return {
    ok: false,
    code: 'AUDIT_NO_SUITABLE_JOB',
    message: `no job of zones/${input.zoneId} stores its users' requests where they can be read back (an enabled http_requests job to ${schemes()} with ${TIME_FIELD} and ${USER_FIELD} in field_names, the zone logging ${USER_HEADER}): ${why}`,
  };
}

type Checked = { ok: true; job: AuditJob } | { ok: false; reason: string };

function checkJob(job: StoredJob, userLogged: boolean, mustBeEnabled: boolean): Checked {
  if (job.dataset !== 'http_requests') return { ok: false, reason: `its dataset is ${job.dataset}, not http_requests` };
  if (mustBeEnabled && job.enabled !== true) return { ok: false, reason: 'it is disabled (name it with job_id to read what it stored)' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(job.destination_conf)?.[1]?.toLowerCase() ?? '';
  if (!READABLE_SCHEMES.includes(scheme)) return { ok: false, reason: `its destination is ${scheme === '' ? 'not a URI' : `${scheme}://`}; only ${schemes()} objects can be read back` };
  // Stored jobs were validated when written; the interval minimum does not matter for reading.
  const parsed = parseJob(job, { minUploadIntervalSeconds: 1 });
  if (!parsed.ok) return { ok: false, reason: `it no longer validates (${parsed.issues[0]?.message ?? 'unknown problem'})` };
  const { fieldNames, output } = parsed.job;
  const missing = [TIME_FIELD, USER_FIELD].filter((field) => !fieldNames.includes(field));
  if (missing.length > 0) return { ok: false, reason: `its field_names lack ${missing.join(' and ')}` };
  if (!userLogged) return { ok: false, reason: `the zone's custom fields do not log the ${USER_HEADER} request header, so ${USER_FIELD} holds no user` };
  const layout = unreadableLayout(output);
  if (layout !== undefined) return { ok: false, reason: layout };
  return { ok: true, job: { id: job.id, name: job.name ?? '', destinationConf: job.destination_conf, fieldNames, format: output, headerLines: wholeLines(output.batchPrefix) ?? 0 } };
}

/** The layouts read back: each type's own record framing, no record delimiter or batch suffix, a batch prefix of whole lines. */
function unreadableLayout(format: OutputFormat): string | undefined {
  if (format.recordTemplate !== undefined) return 'its output_options use a record_template, which cannot be read back field by field';
  const ndjson = format.outputType === 'ndjson';
  const defaultFraming = ndjson
    ? format.recordPrefix === '{' && format.recordSuffix === '}\n' && format.fieldDelimiter === ','
    : format.recordPrefix === '' && format.recordSuffix === '\n' && [...format.fieldDelimiter].length === 1 && format.fieldDelimiter !== '"' && format.fieldDelimiter !== '\n';
  if (!defaultFraming || format.recordDelimiter !== '' || format.batchSuffix !== '' || wholeLines(format.batchPrefix) === undefined) {
    return `its output_options change the ${format.outputType} framing (record_prefix, record_suffix, record_delimiter, field_delimiter, batch_suffix, or a batch_prefix that is not whole lines), which cannot be read back`;
  }
  return undefined;
}

/** Lines in a prefix that ends with a line break; 0 for none; undefined when it ends mid-line. */
function wholeLines(prefix: string): number | undefined {
  if (prefix === '') return 0;
  return prefix.endsWith('\n') ? prefix.split('\n').length - 1 : undefined;
}

function logsUser(fields: CustomFieldsDocument | undefined): boolean {
  const lists = [fields?.request_fields, fields?.transformed_request_fields];
  return lists.some((list) => (list ?? []).some((entry) => entry.name === USER_HEADER));
}

function label(job: StoredJob): string {
  return job.name ? ` "${job.name}"` : '';
}

function schemes(): string {
  return READABLE_SCHEMES.map((scheme) => `${scheme}://`).join(' or ');
}
