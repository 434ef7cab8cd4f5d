// One status per job out of every thread's: counters added up, health the worst of them, a crashed thread shown as failing.
import { CARRIED_COUNTERS, createJobStatus } from '../job-status.js';
import type { JobStatus } from '../job-status.js';

/** What one thread slot contributes to the merged statuses. */
export interface ThreadView {
  /** The thread's latest report (while it is down: its last one, for which jobs it held). */
  readonly statuses: readonly JobStatus[];
  /** Totals of the slot's earlier incarnations, which crashed: counted, never taken for current health. */
  readonly retired: readonly JobStatus[];
  /** Set while the thread is down and not yet running again: every job it held reports this as its error. */
  readonly down?: { readonly atMs: number; readonly message: string };
}

const SUMMED = CARRIED_COUNTERS;

const laterOf = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a >= b ? a : b);
const earlierOf = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a <= b ? a : b);

/** `into` gains `from`'s totals: counters, retries, and the latest delivery. */
function addTotals(into: JobStatus, from: JobStatus): void {
  for (const counter of SUMMED) into[counter] += from[counter];
  for (const [code, count] of Object.entries(from.retries_by_code)) into.retries_by_code[code] = (into.retries_by_code[code] ?? 0) + count;
  if (from.last_complete !== null && (into.last_complete === null || from.last_complete > into.last_complete)) into.last_object = from.last_object;
  else into.last_object ??= from.last_object;
  into.last_complete = laterOf(into.last_complete, from.last_complete);
}

/** `into` gains `from`'s current state: any failure, pause or disablement shows; in-flight batches add up. */
function addState(into: JobStatus, from: JobStatus): void {
  if (from.last_error !== null && (into.last_error === null || from.last_error > into.last_error)) into.error_message = from.error_message;
  into.last_error = laterOf(into.last_error, from.last_error);
  into.failing_since = earlierOf(into.failing_since, from.failing_since);
  if (!from.enabled) {
    into.enabled = false;
    into.disabled_reason ??= from.disabled_reason;
  }
  into.consumption_paused ||= from.consumption_paused;
  into.memory_paused ||= from.memory_paused;
  into.batches_in_flight += from.batches_in_flight;
  into.oldest_undelivered = earlierOf(into.oldest_undelivered, from.oldest_undelivered);
  const positions = [into.start_positions, from.start_positions].filter((p): p is string => p !== null).join(' ');
  into.start_positions = positions === '' ? null : positions;
}

/** A status with the identity of `status` and nothing counted or failing yet. */
function blank(status: JobStatus): JobStatus {
  return createJobStatus(status.id, status.name, status.destination).status;
}

/** Totals only: what a crashed incarnation leaves behind for the slot's `retired`. */
export function retireStatuses(retired: readonly JobStatus[], last: readonly JobStatus[]): JobStatus[] {
  const byId = new Map<number, JobStatus>();
  for (const status of [...retired, ...last]) {
    let merged = byId.get(status.id);
    if (!merged) byId.set(status.id, (merged = blank(status)));
    addTotals(merged, status);
  }
  return [...byId.values()];
}

/**
 * Each job some thread runs (or ran until it went down), once, in the order threads report them.
 * A job only a retired incarnation knew is gone (disabled, deleted) and is not shown.
 */
export function mergeStatuses(views: readonly ThreadView[]): JobStatus[] {
  const byId = new Map<number, JobStatus>();
  const merged = (status: JobStatus): JobStatus => {
    let found = byId.get(status.id);
    if (!found) byId.set(status.id, (found = blank(status)));
    return found;
  };
  for (const view of views) {
    for (const status of view.statuses) {
      const into = merged(status);
      if (!view.down) {
        addTotals(into, status);
        addState(into, status);
        continue;
      }
      // The crashed thread's totals are in `retired` already; its partitions are nobody's until the group moves them.
      const atText = new Date(view.down.atMs).toISOString();
      if (into.last_error === null || atText >= into.last_error) into.error_message = view.down.message;
      into.last_error = laterOf(into.last_error, atText);
    }
  }
  for (const view of views) {
    for (const status of view.retired) {
      const into = byId.get(status.id);
      if (into) addTotals(into, status);
    }
  }
  return [...byId.values()];
}
