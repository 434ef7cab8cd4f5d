// Compiles a job once into the stages every record goes through: decode, scope, (filter, sample,) render.
import {
  ACCOUNT_ID_FIELD,
  ACCOUNT_ID_HEADER,
  ZONE_ID_FIELD,
  ZONE_ID_HEADER,
  createRecordDecoder,
  getDataset,
} from '@sluice/schemas';
import type { DatasetRecord, DecodeResult } from '@sluice/schemas';
import type { PushJob } from '../job/push-job.js';
import { createNdjsonRenderer } from '../render/ndjson-renderer.js';
import type { RecordRenderer } from '../render/ndjson-renderer.js';
import { batchLimitsForJob } from '../batch/batch-limits.js';
import type { BatchLimits } from '../batch/batch-limits.js';
import { PLAIN_FRAMING } from '../batch/gzip-batch.js';
import type { BatchFraming } from '../batch/gzip-batch.js';

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
  readonly render: RecordRenderer;
  readonly framing: BatchFraming;
  readonly limits: BatchLimits;
}

export function compileJob(job: PushJob): CompiledJob {
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
    decode: createRecordDecoder(job.dataset, { fields: job.fieldNames }),
    inScope: (record) => record[scopeField] === scopeId,
    render: createNdjsonRenderer(dataset, { fieldNames: job.fieldNames, timestampFormat: 'unixnano' }),
    framing: PLAIN_FRAMING,
    limits: batchLimitsForJob(job),
  };
}
