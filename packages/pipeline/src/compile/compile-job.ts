// Compiles a job once into the stages every record goes through: decode → scope → filter → sample → project → render.
import {
  ACCOUNT_ID_FIELD,
  ACCOUNT_ID_HEADER,
  ZONE_ID_FIELD,
  ZONE_ID_HEADER,
  getDataset,
} from '@sluice/schemas';
import type { DatasetRecord, DecodeResult } from '@sluice/schemas';
import type { PushJob } from '../job/push-job.js';
import { createRecordRenderer, framingFor } from '../render/create-renderer.js';
import type { RecordRenderer } from '../render/record-renderer.js';
import { batchLimitsForJob } from '../batch/batch-limits.js';
import type { BatchLimits } from '../batch/batch-limits.js';
import type { BatchFraming } from '../batch/gzip-batch.js';
import { compileFilter } from '../filter/compile-filter.js';
import { createSampler } from '../sample/sampler.js';
import type { Sampler } from '../sample/sampler.js';
import { createCustomFieldProjector } from '../custom-fields/project-custom-fields.js';
import type { RecordProjector } from '../custom-fields/project-custom-fields.js';
import { NO_CUSTOM_FIELDS } from '../custom-fields/custom-field-set.js';
import type { CustomFieldSet } from '../custom-fields/custom-field-set.js';
import { createJobDecoder } from '../decode/create-job-decoder.js';
import type { MapKeyFilter } from '../decode/projecting-json-reader.js';

export interface CompileOptions {
  /** The custom fields of the job's zone (default: none, so no header or cookie survives). */
  customFields?: CustomFieldSet;
  /** Seed of the sampler (default: the job id, so each job keeps its own stable subset). */
  sampleSeed?: number;
}

export interface CompiledJob {
  readonly job: PushJob;
  /** Kafka header that names a record's scope, so out-of-scope records are skipped undecoded. */
  readonly scopeHeader: string;
  /** The job's zone or account id. */
  readonly scopeId: string;
  /** The same id as bytes, to compare with the header without decoding it. */
  readonly scopeIdBytes: Buffer;
  /** Decodes only the fields the job needs (plus the scope fields). */
  readonly decode: (bytes: Buffer) => DecodeResult;
  /** For records that arrived without the scope header: does the decoded record belong to the job? */
  readonly inScope: (record: DatasetRecord) => boolean;
  /** The include gate; undefined when the job has no filter. */
  readonly filter: ((record: DatasetRecord) => boolean) | undefined;
  /** sample_rate by Kafka position; undefined when every record is kept. */
  readonly sample: Sampler | undefined;
  /** Removes unlisted headers and cookies in place; undefined when the job delivers none of those maps. */
  readonly project: RecordProjector | undefined;
  readonly render: RecordRenderer;
  readonly framing: BatchFraming;
  readonly limits: BatchLimits;
}

export function compileJob(job: PushJob, options: CompileOptions = {}): CompiledJob {
  const dataset = getDataset(job.dataset);
  const [scopeHeader, scopeField, scopeId] =
    job.scope.kind === 'zone'
      ? [ZONE_ID_HEADER, ZONE_ID_FIELD, job.scope.zoneId]
      : [ACCOUNT_ID_HEADER, ACCOUNT_ID_FIELD, job.scope.accountId];
  return {
    job,
    scopeHeader,
    scopeId,
    scopeIdBytes: Buffer.from(scopeId, 'utf8'),
    // The filter may read fields the job does not deliver; the decoder materialises both.
    decode: createJobDecoder(job.dataset, {
      fields: [...new Set([...job.fieldNames, ...(job.filter?.fieldNames ?? [])])],
      mapKeys: projectedMapKeys(job, options.customFields ?? NO_CUSTOM_FIELDS),
    }),
    inScope: (record) => record[scopeField] === scopeId,
    filter: job.filter && compileFilter(job.filter, dataset),
    sample: createSampler(job.sampleRate, options.sampleSeed ?? job.id),
    project: createCustomFieldProjector(options.customFields ?? NO_CUSTOM_FIELDS, job.fieldNames),
    render: createRecordRenderer(dataset, { fieldNames: job.fieldNames, format: job.output }),
    framing: framingFor(job.output),
    limits: batchLimitsForJob(job),
  };
}

/**
 * The header and cookie maps only the custom-field projector reads, with the keys it can keep:
 * a JSON record's other keys in them are checked, never built. Headers match case-insensitively, as
 * the projector matches them; a map a filter reads (none can today) is built whole.
 */
function projectedMapKeys(job: PushJob, fields: CustomFieldSet): ReadonlyMap<string, MapKeyFilter> {
  const filtered = new Set(job.filter?.fieldNames ?? []);
  const lists: [string, readonly string[], boolean][] = [
    ['RequestHeaders', fields.requestHeaders, true],
    ['ResponseHeaders', fields.responseHeaders, true],
    ['Cookies', fields.cookies, false],
  ];
  const keys = new Map<string, MapKeyFilter>();
  for (const [field, names, foldCase] of lists) {
    if (!job.fieldNames.includes(field) || filtered.has(field)) continue;
    const kept = new Set(names);
    keys.set(field, kept.size === 0 ? () => false : foldCase ? (key) => kept.has(key.toLowerCase()) : (key) => kept.has(key));
  }
  return keys;
}
