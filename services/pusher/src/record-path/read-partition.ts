// The record path for one fetch of one partition: each message through the job's stage, into the partition's batch, cut where a replay would cut it.
import { cutAfter, cutsBefore } from '@sluice/pipeline';
import type { BatchLimits, RecordOutcome, RecordStage } from '@sluice/pipeline';
import type { Logger } from '@sluice/logging';
import type { PartitionBatch } from '../consumer/job-consumer.js';
import type { OffsetCommitter } from '../commit/offset-committer.js';
import type { PartitionProgress } from '../commit/partition-progress.js';
import type { DeadLetter, DeadLetterWriter } from '../dead-letter/dead-letter-writer.js';
import type { SealedBatches } from '../delivery/sealed-batches.js';
import type { JobStatusTracker } from '../job-status.js';
import type { PusherEventListener } from '../pusher-events.js';
import type { OpenBatches } from './open-batches.js';

export interface PartitionReaderDeps {
  jobId: number;
  topic: string;
  stage: RecordStage;
  limits: BatchLimits;
  committer: OffsetCommitter;
  open: OpenBatches;
  sealed: SealedBatches;
  deadLetters: DeadLetterWriter;
  tracker: JobStatusTracker;
  log: Logger;
  emit: PusherEventListener;
  now: () => number;
  /** True once the job is stopping: reading ends at the next message. */
  stopping: () => boolean;
  /** Aborts dead-letter writes held up by an outage (a stop's deadline). */
  runSignal: AbortSignal;
  /** When the worker's memory budget is spent, seals the job's largest open batch; false when it did not. */
  relieveMemory: () => boolean;
}

/** How often (in records) the clock and the memory budget are looked at; both are too costly per record. */
const CHECK_EVERY = 256;
const ALREADY_DELIVERED: RecordOutcome = { kind: 'out-of-scope' };

export function createPartitionReader(deps: PartitionReaderDeps): (batch: PartitionBatch) => Promise<void> {
  const { stage, limits, committer, open, sealed, tracker, jobId, topic, log, emit } = deps;
  const status = tracker.status;

  /** Dead letters of this fetch are written before reading on past a cut, and hold the commit until written. */
  async function flushLetters(letters: DeadLetter[], progress: PartitionProgress): Promise<boolean> {
    if (letters.length === 0) return true;
    const written = await deps.deadLetters.write(letters.splice(0), AbortSignal.any([deps.runSignal, committer.generationOver]));
    if (written) progress.release();
    return written;
  }

  return async (batch) => {
    const first = batch.messages[0];
    if (!first) return;
    const gen = committer.generation;
    const { partition } = batch;
    const live = (): boolean => !deps.stopping() && gen === committer.generation && !committer.generationOver.aborted && batch.isLive();
    await sealed.waitForCapacity(batch.heartbeat, () => !live());
    if (!live()) return;
    // The fetch's high watermark never says less than what the fetch itself returned.
    const last = Number(batch.messages[batch.messages.length - 1]?.offset ?? first.offset);
    const end = Number.isSafeInteger(batch.highWatermark) ? Math.max(batch.highWatermark, last + 1) : last + 1;
    const progress = await committer.progressFor(gen, partition, Number(first.offset), end);
    if (!progress || !live()) return;
    const letters: DeadLetter[] = [];
    const seal = (reason: Parameters<SealedBatches['seal']>[4]): void => {
      const done = open.take(partition);
      if (done) sealed.seal(gen, partition, progress, done, reason);
    };
    let clock = deps.now();
    let counted = 0;
    for (const message of batch.messages) {
      if (!live()) break;
      const offset = Number(message.offset);
      // A fetch may start before the committed offset (a compressed record batch): those records were delivered already.
      const outcome = offset < progress.committed ? ALREADY_DELIVERED : stage(message, partition, offset);
      if (outcome !== ALREADY_DELIVERED) status.records_consumed++;
      switch (outcome.kind) {
        case 'out-of-scope':
          if (outcome !== ALREADY_DELIVERED) status.records_out_of_scope++;
          break;
        case 'filtered':
          status.records_filtered_out++;
          break;
        case 'sampled':
          status.records_sampled_out++;
          break;
        case 'dead-letter':
          progress.holdFrom(offset);
          letters.push({ value: message.value ?? Buffer.alloc(0), code: outcome.code, reason: outcome.reason, partition, offset: message.offset });
          status.records_dead_lettered++;
          emit({ type: 'record-dead-lettered', jobId, topic, partition, offset: message.offset, code: outcome.code });
          log.warn({ topic, partition, offset: message.offset, code: outcome.code, reason: outcome.reason }, 'record sent to the dead-letter topic');
          break;
        case 'line': {
          const timeMs = Number(message.timestamp);
          let current = open.get(partition);
          if (current && cutsBefore(current, limits, timeMs)) {
            seal('record-time');
            current = undefined;
          }
          if (!current) {
            current = open.open(partition, clock);
            progress.openBatchAt(offset);
          }
          current.add(outcome.line, offset, timeMs);
          break;
        }
      }
      progress.consumed(offset);
      batch.resolveOffset(message.offset);
      const current = open.get(partition);
      if (current) {
        // A cut recorded by an earlier run of this partition wins: the replayed batch ends where that one did.
        const recordedEnd = progress.cutEnding(current.firstOffset);
        const reason = recordedEnd !== undefined && offset >= recordedEnd ? 'recorded' : cutAfter(current, limits);
        if (reason) seal(reason);
      }
      if (++counted % CHECK_EVERY === 0) {
        clock = deps.now();
        if (deps.relieveMemory()) status.batches_sealed_for_memory++;
      }
      if (sealed.full()) {
        // Over the memory budget, the job's own open batches go first: waiting would not free them.
        if (deps.relieveMemory()) status.batches_sealed_for_memory++;
        if (!(await flushLetters(letters, progress))) return;
        await sealed.waitForCapacity(batch.heartbeat, () => !live());
        clock = deps.now();
      }
    }
    await flushLetters(letters, progress);
  };
}
