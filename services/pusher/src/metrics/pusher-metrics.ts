// The pusher's Prometheus metrics: each job's counters and state from its status, delivery latency from events, lag from Kafka.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LagReader, TopicPartitionLag } from '@sluice/kafka';
import type { Logger } from '@sluice/logging';
import type { JobStatus } from '../job-status.js';
import type { PusherEvent } from '../pusher-events.js';

export interface PusherMetricsOptions {
  /** The jobs' statuses now (summed over threads in a threaded pusher). */
  statuses: () => JobStatus[];
  /** Consumer lag per job and partition; without it the lag metrics are absent. */
  lag?: LagReader;
  /** The group a job runs in. */
  groupOf: (jobId: number) => string;
  /** Worker threads running now (1 for a pusher on the main thread). */
  threads: () => number;
  logger: Logger;
  now?: () => number;
  /** How long a lag reading is reused, ms (default 5,000): scrapes every few seconds do not each ask Kafka. */
  lagMaxAgeMs?: number;
  /** Node's process metrics (CPU, RSS, heap, event-loop lag); off in tests that build many registries. */
  processMetrics?: boolean;
}

export interface PusherMetrics {
  readonly registry: Registry;
  /** Feed every pusher event here: delivery latency is observed from them. */
  observe(event: PusherEvent): void;
}

/**
 * Delivery latency, seal to acknowledgement with retries included: a local S3 answers in 5–40 ms, a remote one
 * or a SIEM in 50 ms–1 s; a retried batch takes seconds (backoff from 0.5 s doubling to 30 s) and one that
 * waits through a refusal minutes.
 */
export const DELIVERY_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Status counters exposed as Prometheus counters: [metric name, help, the status field]. */
const STATUS_COUNTERS = [
  ['sluice_pusher_records_consumed_total', 'Records read from Kafka, in scope or not', 'records_consumed'],
  ['sluice_pusher_records_out_of_scope_total', 'Records of another zone or account than the job\'s', 'records_out_of_scope'],
  ['sluice_pusher_records_filtered_total', 'Records of the job\'s scope its filter did not let through', 'records_filtered_out'],
  ['sluice_pusher_records_sampled_out_total', 'Records that passed the filter but were not kept by sample_rate', 'records_sampled_out'],
  ['sluice_pusher_records_delivered_total', 'Records the destination took', 'records_delivered'],
  ['sluice_pusher_records_dead_lettered_total', 'Records written to the dead-letter topic instead (undecodable, or refused by the destination)', 'records_dead_lettered'],
  ['sluice_pusher_batches_delivered_total', 'Batches (objects, requests) the destination took', 'batches_delivered'],
  ['sluice_pusher_batches_sealed_for_memory_total', 'Batches sealed early because the worker\'s batch memory was spent', 'batches_sealed_for_memory'],
  ['sluice_pusher_consumer_restarts_total', 'Times the job\'s Kafka consumer crashed and was started again', 'consumer_restarts'],
] as const satisfies readonly (readonly [string, string, keyof JobStatus])[];

const JOB_LABELS = ['job_id', 'job_name'] as const;

function jobLabels(status: JobStatus): { job_id: string; job_name: string } {
  return { job_id: String(status.id), job_name: status.name };
}

export function createPusherMetrics(options: PusherMetricsOptions): PusherMetrics {
  const registry = new Registry();
  const now = options.now ?? Date.now;
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  /** Each job's samples at this scrape: label values beyond job_id and job_name, and the value. */
  type Samples = (status: JobStatus) => Iterable<readonly [Record<string, string>, number]>;
  const perJob = (value: (status: JobStatus) => number): Samples => (status) => [[{}, value(status)]];
  const each = (samples: Samples, put: (labels: Record<string, string>, value: number) => void): void => {
    for (const status of options.statuses()) for (const [labels, value] of samples(status)) put({ ...jobLabels(status), ...labels }, value);
  };
  /** Counters and gauges read from the statuses when scraped: the statuses hold the totals, summed over threads. */
  const counter = (name: string, help: string, samples: Samples, extraLabels: string[] = []): void => {
    new Counter({ name, help, labelNames: [...JOB_LABELS, ...extraLabels], registers: [registry], collect() {
      this.reset();
      each(samples, (labels, value) => this.inc(labels, value));
    } });
  };
  const gauge = (name: string, help: string, samples: Samples, extraLabels: string[] = []): void => {
    new Gauge({ name, help, labelNames: [...JOB_LABELS, ...extraLabels], registers: [registry], collect() {
      this.reset();
      each(samples, (labels, value) => this.set(labels, value));
    } });
  };

  for (const [name, help, field] of STATUS_COUNTERS) counter(name, help, perJob((s) => s[field]));
  counter('sluice_pusher_delivered_bytes_total', 'Bytes of delivered batches, as rendered (uncompressed) and as sent (compressed)', (s) => [[{ encoding: 'uncompressed' }, s.bytes_uncompressed], [{ encoding: 'compressed' }, s.bytes_compressed]], ['encoding']);
  counter('sluice_pusher_retries_total', 'Delivery attempts that failed and were retried, by error code', (s) => Object.entries(s.retries_by_code).map(([code, count]) => [{ code }, count] as const), ['code']);
  gauge('sluice_pusher_batches_in_flight', 'Sealed batches being delivered now (at most 4 per job and thread)', perJob((s) => s.batches_in_flight));
  gauge(
    'sluice_pusher_paused',
    'Whether the job stopped reading: 1 while paused, by why (batches: its sealed batches reached the bound; memory: the worker\'s batch memory is spent)',
    (s) => [[{ reason: 'batches' }, s.consumption_paused && !s.memory_paused ? 1 : 0], [{ reason: 'memory' }, s.memory_paused ? 1 : 0]],
    ['reason'],
  );
  const secondsSince = (time: string | null): number => (time === null ? 0 : Math.max(0, (now() - Date.parse(time)) / 1000));
  gauge('sluice_pusher_job_enabled', 'Whether the job runs: 0 once it disabled itself after failing too long', perJob((s) => (s.enabled ? 1 : 0)));
  gauge('sluice_pusher_failing_seconds', 'How long the job\'s destination has failed without a success (0 while healthy); the job disables itself at --auto-disable-after', perJob((s) => secondsSince(s.failing_since)));
  gauge(
    'sluice_pusher_oldest_undelivered_record_age_seconds',
    'Age (Kafka time) of the earliest record read and not yet delivered; 0 when none is held. Records not yet read are in the consumer lag',
    perJob((s) => secondsSince(s.oldest_undelivered)),
  );
  new Gauge({ name: 'sluice_pusher_threads', help: 'Pusher threads running (1 when the pusher runs on the main thread)', registers: [registry], collect() {
    this.set(options.threads());
  } });

  if (options.lag) addLagMetrics(registry, options.lag, options, now);

  const delivery = new Histogram({
    name: 'sluice_pusher_delivery_duration_seconds',
    help: 'From a batch\'s first delivery attempt to the destination taking it, retries and waits included',
    labelNames: JOB_LABELS,
    buckets: DELIVERY_SECONDS_BUCKETS,
    registers: [registry],
  });
  const names = new Map<number, string>();
  return {
    registry,
    observe(event) {
      if (event.type === 'job-started') names.set(event.jobId, event.name);
      if (event.type === 'batch-delivered') delivery.observe({ job_id: String(event.jobId), job_name: names.get(event.jobId) ?? '' }, event.durationMs / 1000);
    },
  };
}

/** Lag per job and partition, read from Kafka at most every lagMaxAgeMs; a failed read keeps the last figures and counts. */
function addLagMetrics(registry: Registry, lag: LagReader, options: PusherMetricsOptions, now: () => number): void {
  const maxAgeMs = options.lagMaxAgeMs ?? 5_000;
  let last: { atMs: number; lags: Map<number, TopicPartitionLag[]> } | undefined;
  let reading: Promise<void> | undefined;
  // Registered after the lag gauge, whose collection is what counts a failure: the same scrape shows it.
  const failures = new Counter({ name: 'sluice_pusher_lag_read_failures_total', help: 'Times Kafka could not say the jobs\' consumer lag (the lag metrics then keep their last figures)', registers: [] });

  const refresh = async (): Promise<void> => {
    if (last && now() - last.atMs < maxAgeMs) return;
    reading ??= (async () => {
      const lags = new Map<number, TopicPartitionLag[]>();
      try {
        for (const status of options.statuses()) lags.set(status.id, await lag.groupLag(options.groupOf(status.id)));
        last = { atMs: now(), lags };
      } catch (error) {
        failures.inc();
        options.logger.warn({ err: error }, 'reading consumer lag failed; the lag metrics keep their last figures');
      }
    })().finally(() => (reading = undefined));
    await reading;
  };

  new Gauge({
    name: 'sluice_pusher_consumer_lag_records',
    help: 'Records on the job\'s topic after its committed offset (end offset minus committed offset), per partition',
    labelNames: [...JOB_LABELS, 'partition'],
    registers: [registry],
    async collect() {
      await refresh();
      this.reset();
      for (const status of options.statuses()) {
        for (const p of last?.lags.get(status.id) ?? []) if (p.lag !== null) this.set({ ...jobLabels(status), partition: String(p.partition) }, p.lag);
      }
    },
  });
  registry.registerMetric(failures);
}
