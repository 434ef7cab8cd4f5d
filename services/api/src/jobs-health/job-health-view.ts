// A job's health as the dashboard shows it: Logpush's three fields, the worker's counters, and its consumer group's lag.
import { jobGroupId } from '@sluice/job-store';
import type { JobHealth, StoredJob } from '@sluice/job-store';
import { isDatasetName, topicFor } from '@sluice/schemas';
import type { LagReader, PartitionLag } from '@sluice/kafka';

export interface JobHealthView {
  id: number;
  name: string | null;
  dataset: string;
  enabled: boolean;
  last_complete: string | null;
  last_error: string | null;
  error_message: string | null;
  /** Start of the current run of failures; null while healthy or before any report. */
  failing_since: string | null;
  /** Records delivered by the worker running the job, since it started it; null before its first report. */
  records_delivered: number | null;
  /** Records in Kafka the job has not committed yet, over every partition; null when unknown. */
  consumer_lag: number | null;
  lag_by_partition: PartitionLag[];
  /** Why the lag is unknown (Kafka unreachable, API without Kafka), else null. */
  lag_error: string | null;
  /** When the worker last reported, and which worker; null before any report. */
  reported_at: string | null;
  worker: string | null;
}


export async function jobHealthView(job: StoredJob, health: JobHealth | undefined, lag: LagReader | undefined): Promise<JobHealthView> {
  let lagByPartition: PartitionLag[] = [];
  let lagError: string | null = null;
  if (lag === undefined) lagError = 'LAG_UNAVAILABLE: this API runs without Kafka';
  else if (!isDatasetName(job.dataset)) lagError = `LAG_UNAVAILABLE: unknown dataset ${job.dataset}`;
  else {
    try {
      lagByPartition = await lag.lag(jobGroupId(job.id), topicFor(job.dataset));
    } catch (error) {
      lagError = `LAG_UNAVAILABLE: ${(error as Error).message}`;
    }
  }
  const known = lagByPartition.filter((p) => p.lag !== null);
  const delivered = health?.['records_delivered'];
  const failingSince = health?.['failing_since'];
  return {
    id: job.id,
    name: job.name ?? null,
    dataset: job.dataset,
    enabled: job.enabled ?? false,
    last_complete: health?.last_complete ?? null,
    last_error: health?.last_error ?? null,
    error_message: health?.error_message ?? null,
    failing_since: typeof failingSince === 'string' ? failingSince : null,
    records_delivered: typeof delivered === 'number' ? delivered : null,
    consumer_lag: known.length > 0 ? known.reduce((sum, p) => sum + (p.lag ?? 0), 0) : null,
    lag_by_partition: lagByPartition,
    lag_error: lagError,
    reported_at: health?.reported_at ?? null,
    worker: health?.worker ?? null,
  };
}
