// A job's health and counters, in Logpush's terms (last_complete, last_error, error_message) plus totals.
import { redactText } from '@sluice/logging';

export interface JobStatus {
  id: number;
  name: string;
  destination: string;
  /** End of the last successfully delivered range (RFC 3339), or null before the first delivery. */
  last_complete: string | null;
  /** When delivery last failed; non-null means failing now, cleared by the next success. */
  last_error: string | null;
  error_message: string | null;
  /** Start of the current run of failures (RFC 3339): the auto-disable clock. Null while healthy. */
  failing_since: string | null;
  /** False once the job disabled itself after failing for too long; `disabled_reason` says why. */
  enabled: boolean;
  disabled_reason: string | null;
  /** The job stopped reading because its sealed batches in delivery reached the bound. */
  consumption_paused: boolean;
  /** Sealed batches being delivered now (bounded per job). */
  batches_in_flight: number;
  /** The job stopped reading because the worker's batch memory budget is spent. */
  memory_paused: boolean;
  /** Batches sealed early because the worker's batch memory budget was reached. */
  batches_sealed_for_memory: number;
  /** Times the job's Kafka consumer crashed and was started again. */
  consumer_restarts: number;
  /**
   * Where partitions without a committed offset were started, and why (`p<partition>@<offset>:<from>`,
   * from: last-delivered, start-from, earliest, now); null when every partition resumed from its commit.
   */
  start_positions: string | null;
  records_consumed: number;
  records_out_of_scope: number;
  /** Records of the job's scope that its filter did not let through. */
  records_filtered_out: number;
  /** Records that passed the filter but were not kept by sample_rate. */
  records_sampled_out: number;
  records_delivered: number;
  records_dead_lettered: number;
  batches_delivered: number;
  bytes_uncompressed: number;
  bytes_compressed: number;
  retries_by_code: Record<string, number>;
  last_object: string | null;
  /**
   * Kafka time (RFC 3339) of the earliest record this worker has read and not yet delivered (the first record of its
   * oldest open or in-flight batch); null when it holds none. Records not yet read are the consumer lag.
   */
  oldest_undelivered: string | null;
}

/** The counters of a status that add up: across a job's restarts, and across a threaded pusher's threads. */
export const CARRIED_COUNTERS = [
  'records_consumed',
  'records_out_of_scope',
  'records_filtered_out',
  'records_sampled_out',
  'records_delivered',
  'records_dead_lettered',
  'batches_delivered',
  'batches_sealed_for_memory',
  'consumer_restarts',
  'bytes_uncompressed',
  'bytes_compressed',
] as const satisfies readonly (keyof JobStatus)[];

export interface JobStatusTracker {
  readonly status: JobStatus;
  delivered(location: string, records: number, uncompressed: number, compressed: number, endTimeMs: number): void;
  /** The destination failed: shown, and the auto-disable clock runs. */
  failed(code: string, message: string, atMs: number): void;
  /** Something else is wrong (the consumer crashed, the dead-letter topic is unavailable): shown until the next delivery, no auto-disable. */
  troubled(code: string, message: string, atMs: number): void;
  retried(code: string): void;
  disabled(reason: string): void;
  /** When the current run of failures began (ms), or undefined while healthy. */
  failingSinceMs(): number | undefined;
}

/**
 * `carried` is the final status of the runner this one replaces (the job was reconfigured): its
 * totals and `last_complete` go on. Its failure (`last_error`, `error_message`, the auto-disable
 * clock) goes on only while the destination is the same place; a new destination has not failed yet.
 */
export function createJobStatus(id: number, name: string, destination: string, carried?: JobStatus): JobStatusTracker {
  const status: JobStatus = {
    id,
    name,
    destination,
    last_complete: null,
    last_error: null,
    error_message: null,
    failing_since: null,
    enabled: true,
    disabled_reason: null,
    consumption_paused: false,
    batches_in_flight: 0,
    memory_paused: false,
    batches_sealed_for_memory: 0,
    consumer_restarts: 0,
    start_positions: null,
    records_consumed: 0,
    records_out_of_scope: 0,
    records_filtered_out: 0,
    records_sampled_out: 0,
    records_delivered: 0,
    records_dead_lettered: 0,
    batches_delivered: 0,
    bytes_uncompressed: 0,
    bytes_compressed: 0,
    retries_by_code: {},
    last_object: null,
    oldest_undelivered: null,
  };
  let failingSinceMs: number | undefined;
  if (carried) {
    for (const counter of CARRIED_COUNTERS) status[counter] = carried[counter];
    status.retries_by_code = { ...carried.retries_by_code };
    status.last_complete = carried.last_complete;
    status.last_object = carried.last_object;
    if (carried.destination === destination && carried.failing_since !== null) {
      status.last_error = carried.last_error;
      status.error_message = carried.error_message;
      status.failing_since = carried.failing_since;
      failingSinceMs = Date.parse(carried.failing_since);
    }
  }
  return {
    status,
    failingSinceMs: () => failingSinceMs,
    delivered(location, records, uncompressed, compressed, endTimeMs) {
      status.records_delivered += records;
      status.batches_delivered += 1;
      status.bytes_uncompressed += uncompressed;
      status.bytes_compressed += compressed;
      status.last_object = location;
      const end = new Date(endTimeMs).toISOString();
      if (status.last_complete === null || end > status.last_complete) status.last_complete = end;
      status.last_error = null;
      status.error_message = null;
      status.failing_since = null;
      failingSinceMs = undefined;
    },
    failed(code, message, atMs) {
      if (failingSinceMs === undefined) {
        failingSinceMs = atMs;
        status.failing_since = new Date(atMs).toISOString();
      }
      status.last_error = new Date(atMs).toISOString();
      status.error_message = redactText(`${code}: ${message}`);
    },
    troubled(code, message, atMs) {
      status.last_error = new Date(atMs).toISOString();
      status.error_message = redactText(`${code}: ${message}`);
    },
    disabled(reason) {
      status.enabled = false;
      status.disabled_reason = reason;
    },
    retried(code) {
      status.retries_by_code[code] = (status.retries_by_code[code] ?? 0) + 1;
    },
  };
}
