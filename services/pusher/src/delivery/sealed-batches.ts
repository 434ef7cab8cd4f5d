// Sealed batches on their way: seal → record a clock-made cut → deliver → mark the partition's progress → commit. Bounded in count and memory.
import { setMaxListeners } from 'node:events';
import { isReproducibleCut } from '@sluice/pipeline';
import { abortableSleep } from '@sluice/destinations';
import type { CutReason, GzipBatch } from '@sluice/pipeline';
import type { Logger } from '@sluice/logging';
import type { OffsetCommitter } from '../commit/offset-committer.js';
import type { PartitionProgress } from '../commit/partition-progress.js';
import type { MemoryBudget } from '../memory/memory-budget.js';
import type { JobStatusTracker } from '../job-status.js';
import type { BatchDelivery } from './batch-delivery.js';

export interface SealedBatchesOptions {
  committer: OffsetCommitter;
  delivery: BatchDelivery;
  tracker: JobStatusTracker;
  budget: MemoryBudget;
  log: Logger;
  /** Sealed batches a job may have in delivery at once before it stops reading. */
  maxInFlight: number;
  /** Aborts every delivery: an abandoning stop, or a stop's deadline. */
  runSignal: AbortSignal;
  /** A batch could not be sealed or delivered for a reason no retry fixes: its partition must be read again. */
  onBroken: (error: unknown, partition: number) => void;
}

export interface SealedBatches {
  /** Seals the batch (taken from the partition's open batches in generation `gen`) and starts its delivery. */
  seal(gen: number, partition: number, progress: PartitionProgress, batch: GzipBatch, reason: CutReason): void;
  readonly size: number;
  memoryBytes(): number;
  /** Kafka time of the first record of the oldest batch in delivery (ms), or undefined when none is. */
  oldestRecordMs(): number | undefined;
  /** Whether reading must wait: at the bound of batches in flight, or the worker's memory budget spent while some are. */
  full(): boolean;
  /** Waits until not full() or `stop()` says to give up, calling `heartbeat` at least every 2 s. */
  waitForCapacity(heartbeat: () => Promise<void>, stop: () => boolean): Promise<void>;
  /** Resolves when every delivery started so far has ended. */
  settled(): Promise<void>;
}

export function createSealedBatches(options: SealedBatchesOptions): SealedBatches {
  const { committer, delivery, tracker, log } = options;
  const inFlight = new Map<Promise<void>, { bytes: number; firstTimeMs: number }>();

  async function run(gen: number, partition: number, progress: PartitionProgress, batch: GzipBatch, reason: CutReason, held: { bytes: number; firstTimeMs: number }): Promise<void> {
    const entry = progress.sealed(batch.firstOffset);
    // Taken in seal order, before anything is awaited: this batch's place in its partition's chain of cuts.
    let settleOwnCut: ((recorded: boolean) => void) | undefined;
    const ownCut = isReproducibleCut(reason) ? undefined : new Promise<boolean>((resolve) => (settleOwnCut = resolve));
    const earlierCuts = progress.earlierCutsDurable(ownCut);
    try {
      const signal = AbortSignal.any([committer.generationOver, options.runSignal]);
      setMaxListeners(0, signal);
      const sealed = await batch.seal();
      held.bytes = sealed.body.length;
      // A cut the records alone would not reproduce is committed before the batch goes out, so a replay cuts alike.
      if (settleOwnCut) {
        const recorded = await committer.recordCuts(gen, [{ partition, cut: { from: sealed.firstOffset, to: sealed.lastOffset } }], signal);
        settleOwnCut(recorded);
        if (!recorded) return;
      }
      // Nor does a batch go out before the clock-made cuts ahead of it are durable: a replay without
      // them would start its batch elsewhere, and the object would be stored twice under two names.
      if (!(await earlierCuts)) return;
      const outcome = await delivery.deliver(partition, sealed, signal);
      if (outcome.status !== 'delivered') return;
      progress.delivered(entry);
      if (gen === committer.generation) await committer.commitDue();
    } finally {
      settleOwnCut?.(false);
    }
  }

  /**
   * Over the memory budget, reading waits for this job's own deliveries to free some. With none in flight there is
   * nothing to wait for: what the job holds is open batches it may not seal (a replayed batch before its recorded
   * end), and reading on is what ends them.
   */
  const full = (): boolean => inFlight.size >= options.maxInFlight || (inFlight.size > 0 && options.budget.overBudget());

  return {
    seal(gen, partition, progress, batch, reason) {
      const held = { bytes: batch.memoryBytes, firstTimeMs: batch.firstTimeMs };
      const promise: Promise<void> = run(gen, partition, progress, batch, reason, held)
        .catch((error: unknown) => {
          log.error({ err: error, partition, code: 'BATCH_BROKEN' }, 'a batch could not be sealed or delivered; its partition is read again');
          options.onBroken(error, partition);
        })
        .finally(() => inFlight.delete(promise));
      inFlight.set(promise, held);
    },
    get size() {
      return inFlight.size;
    },
    memoryBytes() {
      let total = 0;
      for (const held of inFlight.values()) total += held.bytes;
      return total;
    },
    oldestRecordMs() {
      let oldest: number | undefined;
      for (const held of inFlight.values()) if (oldest === undefined || held.firstTimeMs < oldest) oldest = held.firstTimeMs;
      return oldest;
    },
    full,
    async waitForCapacity(heartbeat, stop) {
      if (!full() || stop()) return;
      const byMemory = inFlight.size < options.maxInFlight;
      tracker.status.consumption_paused = true;
      tracker.status.memory_paused = byMemory;
      log.info({ batches_in_flight: inFlight.size, memory_bytes: options.budget.usedBytes(), by_memory: byMemory }, 'consumption paused until a delivery ends');
      while (full() && !stop()) {
        await Promise.race([...inFlight.keys(), abortableSleep(1_000, options.runSignal)]);
        await heartbeat();
      }
      tracker.status.consumption_paused = false;
      tracker.status.memory_paused = false;
      log.info('consumption resumed');
    },
    async settled() {
      await Promise.allSettled([...inFlight.keys()]);
    },
  };
}
