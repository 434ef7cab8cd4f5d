// Where a job's batches are and what their names say: the folders to list for a time range, and each key's start and end time.
import { compactTime, expandDatePath } from '@sluice/destinations';

const DAY_MS = 86_400_000;

/** How far the key times (Kafka record times) may stray from the records' EdgeStartTimestamp, and how long a batch may span. */
export interface KeyTimeSlack {
  /** Request duration and clock skew between a request's start and its Kafka timestamp; default 15 minutes. */
  recordSlackMs: number;
  /** Longest time from a batch's first to its last record (Logpush cuts at most 300 s, record time); default 6 hours. */
  maxBatchSpanMs: number;
}

export const DEFAULT_KEY_TIME_SLACK: KeyTimeSlack = { recordSlackMs: 15 * 60_000, maxBatchSpanMs: 6 * 3_600_000 };

/** One folder to list, and the key to list after (earlier batches start before the range). */
export interface ListingPlan {
  prefix: string;
  startAfter: string | undefined;
}

/**
 * The folders that can hold batches of [sinceMs, untilMs): one per UTC day when the path holds `{DATE}`
 * (the day a batch started), else the path itself. Keys inside a folder sort by start time, so listing
 * starts after the earliest start that could still reach `sinceMs`.
 */
export function listingPlan(path: string, sinceMs: number, untilMs: number, slack: KeyTimeSlack = DEFAULT_KEY_TIME_SLACK): ListingPlan[] {
  const earliestStartMs = sinceMs - slack.recordSlackMs - slack.maxBatchSpanMs;
  const latestStartMs = untilMs + slack.recordSlackMs;
  if (!path.includes('{DATE}')) {
    const prefix = folder(path);
    return [{ prefix, startAfter: `${prefix}${compactTime(earliestStartMs)}` }];
  }
  const plans: ListingPlan[] = [];
  for (let day = Math.floor(earliestStartMs / DAY_MS) * DAY_MS; day <= latestStartMs; day += DAY_MS) {
    const prefix = folder(expandDatePath(path, day));
    // Only the first day starts mid-folder; later days are listed whole.
    plans.push({ prefix, startAfter: plans.length === 0 ? `${prefix}${compactTime(earliestStartMs)}` : undefined });
  }
  return plans;
}

/** A batch object of one job, as its key names it; start and end in whole seconds (Kafka time, floored). */
export interface BatchKey {
  key: string;
  startMs: number;
  endMs: number;
}

const BATCH_FILE = /^(\d{8}T\d{6}Z)_(\d{8}T\d{6}Z)_job(\d+)-p\d+-o\d+\.log\.gz$/;

/** The batch a key names when it is one of `jobId`'s batches directly in `prefix`; undefined for anything else (test objects, other jobs). */
export function parseBatchKey(key: string, prefix: string, jobId: number): BatchKey | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const match = BATCH_FILE.exec(key.slice(prefix.length));
  if (match === null || Number(match[3]) !== jobId) return undefined;
  const startMs = fromCompact(match[1] ?? '');
  const endMs = fromCompact(match[2] ?? '');
  return Number.isNaN(startMs) || Number.isNaN(endMs) ? undefined : { key, startMs, endMs };
}

/** Whether a batch can hold a record whose time falls in [sinceMs, untilMs). */
export function batchOverlaps(batch: BatchKey, sinceMs: number, untilMs: number, slack: KeyTimeSlack = DEFAULT_KEY_TIME_SLACK): boolean {
  // Key times are whole seconds, floored: the batch's last record is before endMs + 1 s.
  return batch.startMs - slack.recordSlackMs < untilMs && batch.endMs + 1_000 + slack.recordSlackMs > sinceMs;
}

/** Whether a batch, or any later-starting one, is past the range: listing a folder can stop there. */
export function startsPastRange(batch: BatchKey, untilMs: number, slack: KeyTimeSlack = DEFAULT_KEY_TIME_SLACK): boolean {
  return batch.startMs - slack.recordSlackMs >= untilMs;
}

function folder(dir: string): string {
  const trimmed = dir.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** `20260131T120000Z` → milliseconds since the epoch. */
function fromCompact(text: string): number {
  return Date.parse(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(9, 11)}:${text.slice(11, 13)}:${text.slice(13, 15)}Z`);
}
