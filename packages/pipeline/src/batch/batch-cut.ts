// When a batch is cut, and whether a replay of the same records would cut it at the same place.
import type { BatchLimits } from './batch-limits.js';
import type { GzipBatch } from './gzip-batch.js';

/**
 * Why a batch was sealed. The first three are functions of the records alone (their count, their
 * bytes, their Kafka timestamps), so a replay from the same first record cuts the batch at the same
 * record and its object gets the same key. The others depend on the moment (wall clock, a shutdown,
 * memory pressure): such a cut is recorded durably before the batch is delivered, and a replay
 * follows the record (`recorded`).
 */
export type CutReason = 'records' | 'bytes' | 'record-time' | 'recorded' | 'idle' | 'shutdown' | 'memory';

/** True for cuts a replay makes again by itself; the rest must be recorded before delivery. */
export function isReproducibleCut(reason: CutReason): boolean {
  return reason === 'records' || reason === 'bytes' || reason === 'record-time' || reason === 'recorded';
}

/**
 * Before adding a record: a record `max_upload_interval_seconds` or more (in record time) after the
 * batch's first one starts a new batch. Kafka timestamps, not the clock, so a replay cuts alike.
 */
export function cutsBefore(batch: GzipBatch, limits: BatchLimits, recordTimeMs: number): boolean {
  return batch.records > 0 && recordTimeMs - batch.firstTimeMs >= limits.maxAgeMs;
}

/** After adding a record: the batch is full by count or by uncompressed bytes. */
export function cutAfter(batch: GzipBatch, limits: BatchLimits): 'records' | 'bytes' | undefined {
  if (batch.records >= limits.maxRecords) return 'records';
  if (batch.bytes >= limits.maxBytes) return 'bytes';
  return undefined;
}

/** On the clock: a batch opened this long ago with nothing to close it is flushed (an idle partition). */
export function idleCutDue(batch: GzipBatch, limits: BatchLimits, nowMs: number): boolean {
  return batch.records > 0 && nowMs - batch.openedAtMs >= limits.maxAgeMs;
}
