// A stored job as the API shows it: Logpush's fields with their defaults, health from the workers, no secrets of the API's own.
import type { JobHealth, StoredJob } from '@sluice/job-store';
import type { OutputOptionsDocument } from '@sluice/pipeline';

/** The job object of Logpush's API (§3). `ownership_challenge` is write-only and never shown. */
export interface JobView {
  id: number;
  dataset: string;
  enabled: boolean;
  name: string | null;
  kind: '' | 'edge';
  destination_conf: string;
  /** Echoed as the JSON string it was sent as. */
  filter: string | null;
  output_options: OutputOptionsDocument | null;
  logpull_options: string | null;
  frequency: 'high' | 'low' | null;
  max_upload_bytes: number | null;
  max_upload_records: number | null;
  max_upload_interval_seconds: number | null;
  /** Sluice's extension: where a new job starts reading. Present only when set. */
  start_from?: string;
  last_complete: string | null;
  last_error: string | null;
  error_message: string | null;
}

/** Read-only fields: computed here, accepted and ignored in request bodies so that a GET result can be sent back. */
export const READ_ONLY_FIELDS = ['id', 'last_complete', 'last_error', 'error_message'] as const;

export function toJobView(job: StoredJob, health: JobHealth | undefined): JobView {
  return {
    id: job.id,
    dataset: job.dataset,
    enabled: job.enabled ?? false,
    name: job.name ?? null,
    kind: job.kind ?? '',
    destination_conf: job.destination_conf,
    filter: job.filter ?? null,
    output_options: job.output_options ?? null,
    logpull_options: job.logpull_options ?? null,
    frequency: job.frequency ?? null,
    max_upload_bytes: job.max_upload_bytes ?? null,
    max_upload_records: job.max_upload_records ?? null,
    max_upload_interval_seconds: job.max_upload_interval_seconds ?? null,
    ...(job.start_from !== undefined ? { start_from: job.start_from } : {}),
    last_complete: health?.last_complete ?? null,
    last_error: health?.last_error ?? null,
    error_message: health?.error_message ?? null,
  };
}
