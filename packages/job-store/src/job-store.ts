// The one interface the jobs API writes through and pusher workers read from.
import type { CustomFieldsDocument, JobDocument } from '@sluice/pipeline';

/** A job as stored: the validated Logpush job document, `id` and scope (`zone_id` or `account_id`) set. */
export type StoredJob = JobDocument & { id: number };

/** One change to the store, in the order the store applied it. A `null` value is a deletion. */
export type StoreEvent =
  | { type: 'job'; id: number; job: StoredJob | null }
  | { type: 'custom-fields'; zoneId: string; fields: CustomFieldsDocument | null };

export type StoreListener = (event: StoreEvent) => void;

/**
 * Jobs and custom fields, as an in-memory view of the store kept current by the store itself.
 * Writes resolve once this view reflects them (read-your-writes); other writers' changes arrive
 * through `subscribe` within moments. Several API replicas and workers may share one store.
 */
export interface JobStore {
  /** Resolves once the view holds everything written before the call. */
  ready(): Promise<void>;
  jobs(): ReadonlyMap<number, StoredJob>;
  /** Custom fields by zone id (the `action_parameters` of the zone's `http_log_custom_fields` rule). */
  customFields(): ReadonlyMap<string, CustomFieldsDocument>;
  /** A fresh job id: unique across every writer, and larger than every id handed out before. */
  nextJobId(): Promise<number>;
  putJob(job: StoredJob): Promise<void>;
  deleteJob(id: number): Promise<void>;
  putCustomFields(zoneId: string, fields: CustomFieldsDocument | null): Promise<void>;
  /** Called for every change applied after subscribing (the current view is read with jobs()). */
  subscribe(listener: StoreListener): () => void;
  close(): Promise<void>;
}

/** What a worker reports about one job; the API shows the Logpush fields on the job. */
export interface JobHealth {
  id: number;
  last_complete: string | null;
  last_error: string | null;
  error_message: string | null;
  /** When the worker sent this report (RFC 3339), and which worker it was. */
  reported_at: string;
  worker: string;
  /** Every other counter of the worker's job status, as reported. */
  [counter: string]: unknown;
}

/** Job health from every worker: the latest report per job wins. */
export interface HealthStore {
  publish(reports: readonly JobHealth[]): Promise<void>;
  health(): ReadonlyMap<number, JobHealth>;
  close(): Promise<void>;
}
