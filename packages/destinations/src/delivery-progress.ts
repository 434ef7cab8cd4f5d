// Remembers how many leading records of a batch a destination has already accepted, so a redelivery sends only the rest.
import type { DeliveryBatch } from './destination.js';

/**
 * A batch sent as several requests (Splunk and Datadog cut it into bounded requests; Splunk halves one after a 413). When a later one fails, the caller
 * redelivers the whole batch (the retry decorator, or the pusher a minute after a rejection);
 * without this memo every redelivery would index the accepted records again. It lives in memory
 * only: after a restart a batch may be sent again in full, which is the at-least-once promise anyway.
 */
export interface DeliveryProgress {
  /** Records (from the start of the batch) already accepted. */
  accepted(batch: DeliveryBatch): number;
  record(batch: DeliveryBatch, accepted: number): void;
  /** The batch is finished with (delivered): nothing more to remember. */
  forget(batch: DeliveryBatch): void;
}

/** Batches remembered at most; the oldest is dropped first. In-flight batches per job are far fewer. */
export const DEFAULT_PROGRESS_ENTRIES = 256;

export function createDeliveryProgress(maxEntries = DEFAULT_PROGRESS_ENTRIES): DeliveryProgress {
  const accepted = new Map<string, number>();
  // The suffix names the batch (job, partition, first offset); the sizes guard against a batch
  // that was rebuilt differently under the same name, whose record positions would not match.
  const key = (batch: DeliveryBatch): string => `${batch.suffix}\u0000${batch.records}\u0000${batch.uncompressedBytes}`;
  return {
    accepted: (batch) => accepted.get(key(batch)) ?? 0,
    record(batch, count) {
      const k = key(batch);
      accepted.delete(k); // re-inserted last: the Map's order is the eviction order
      accepted.set(k, count);
      while (accepted.size > maxEntries) accepted.delete(accepted.keys().next().value as string);
    },
    forget: (batch) => void accepted.delete(key(batch)),
  };
}
