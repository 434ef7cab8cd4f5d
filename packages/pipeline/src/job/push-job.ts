// A validated job with every default applied: what the pipeline and the pusher run.
import type { DatasetName } from '@sluice/schemas';
import type { CheckedFilter } from '../filter/filter-node.js';
import type { OutputFormat } from '../render/output-format.js';

export type JobScope = { kind: 'zone'; zoneId: string } | { kind: 'account'; accountId: string };

export interface PushJob {
  id: number;
  name: string;
  dataset: DatasetName;
  /** The destination URI as written; it may hold credentials, so never log it unredacted. */
  destinationConf: string;
  enabled: boolean;
  scope: JobScope;
  fieldNames: readonly string[];
  /** The include gate; undefined when the job has no filter. */
  filter: CheckedFilter | undefined;
  /** Fraction of the filtered records delivered, 0 < r ≤ 1. */
  sampleRate: number;
  /** How records and batches are written, with every default applied. */
  output: OutputFormat;
  /** Uncompressed bytes per batch; 0 means no size limit. */
  maxUploadBytes: number;
  /** Records per batch (default 100,000). */
  maxUploadRecords: number;
  /** Maximum age of a batch before it is pushed, in seconds (default 30). */
  maxUploadIntervalSeconds: number;
  /** Where a job with no committed offsets starts; absent means "when first seen". */
  startFrom: 'earliest' | Date | undefined;
}

export const DEFAULT_MAX_UPLOAD_RECORDS = 100_000;
export const DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS = 30;
export const MIN_MAX_UPLOAD_INTERVAL_SECONDS = 30;
