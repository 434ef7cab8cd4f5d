// The open (unsealed) batch of each partition in the current generation, built in the destination's wire encoding when it declares one.
import { wireSource } from '@sluice/destinations';
import type { WireEncoding } from '@sluice/destinations';
import { createGzipBatch } from '@sluice/pipeline';
import type { BatchFraming, GzipBatch } from '@sluice/pipeline';

export interface OpenBatches {
  get(partition: number): GzipBatch | undefined;
  /** Opens a batch for the partition (there must be none). */
  open(partition: number, openedAtMs: number): GzipBatch;
  /** Removes the partition's batch, to be sealed or dropped by the caller. */
  take(partition: number): GzipBatch | undefined;
  entries(): IterableIterator<[number, GzipBatch]>;
  /** Drops every open batch and frees its memory (a rebalance, an abandoning stop). */
  abandonAll(): void;
  /** The partition whose open batch holds the most memory (to seal first under memory pressure), among those `sealable`. */
  largest(sealable?: (partition: number, batch: GzipBatch) => boolean): number | undefined;
  memoryBytes(): number;
}

/**
 * Made once per job run: the job's compiled framing meets the destination's wire encoding here, not
 * per record. With an encoding, the destination's request framing replaces the job's batch framing
 * (the job's record layout and its JNDI escaping stay), and each batch is built as the requests it
 * will be sent in, compressed once.
 */
export function createOpenBatches(framing: BatchFraming, destination: { jobId: number; wireEncoding?: WireEncoding | undefined }): OpenBatches {
  const batches = new Map<number, GzipBatch>();
  const wire = destination.wireEncoding;
  return {
    get: (partition) => batches.get(partition),
    open(partition, openedAtMs) {
      const batch = createGzipBatch(framing, openedAtMs, wire ? { wire: { wire, source: wireSource(destination.jobId, partition) } } : {});
      batches.set(partition, batch);
      return batch;
    },
    take(partition) {
      const batch = batches.get(partition);
      batches.delete(partition);
      return batch;
    },
    entries: () => batches.entries(),
    abandonAll() {
      for (const batch of batches.values()) batch.abandon();
      batches.clear();
    },
    largest(sealable) {
      let best: number | undefined;
      let bytes = -1;
      for (const [partition, batch] of batches) {
        if (batch.records > 0 && batch.memoryBytes > bytes && (sealable?.(partition, batch) ?? true)) {
          best = partition;
          bytes = batch.memoryBytes;
        }
      }
      return best;
    },
    memoryBytes() {
      let total = 0;
      for (const batch of batches.values()) total += batch.memoryBytes;
      return total;
    },
  };
}
