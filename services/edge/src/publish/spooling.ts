// Spooling decisions: when records go to the disk spool instead of the memory queue, and the replayer that sends them on.
import type { PresenceCheck } from './kafka-presence.js';
import type { PublishedMessage } from './published-message.js';
import { dropRecords, settleWaiters, stopLinger } from './publisher-state.js';
import type { Numbered, PublisherState } from './publisher-state.js';
import { replaySpool } from './spool-replayer.js';

export interface Spooling {
  /** Direct mode ends: `first` (the unacknowledged part of the batch in flight), then the queue, go to the spool; the replayer starts. */
  enter(reason: string, first: readonly Numbered[]): void;
  /** Appends one record (`beyondCap`: even past the spool's byte cap); false when refused, dropped and counted. */
  toSpool(message: PublishedMessage, seq: number, beyondCap: boolean): boolean;
  /** Puts a batch ahead of everything the spool holds. */
  spoolAhead(unacked: readonly Numbered[]): Promise<void>;
  startReplayer(): void;
  /** Sync mode: the spool is new or the last replay ended empty, so the next replay need not check what Kafka holds. */
  markCaughtUp(): void;
}

export interface SpoolingOptions {
  readonly presence?: PresenceCheck | undefined;
  /** The spool is empty again in async mode: direct sending resumes. */
  readonly onDirectAgain: () => void;
  /** The replayer had records acknowledged (count may be 0: all found in Kafka already). */
  readonly onReplayed: () => void;
}

export function createSpooling(state: PublisherState, options: SpoolingOptions): Spooling {
  const { spool, settings, logger, queue, sync } = state;
  /** Sync mode: the last replay ended with the spool empty, so the next may skip the presence check. */
  let replayEndedEmpty = false;

  function toSpool(message: PublishedMessage, seq: number, beyondCap: boolean): boolean {
    const result = spool.append(message, beyondCap);
    if (result !== 'spooled') {
      dropRecords(state, 1, result);
      return false;
    }
    state.spooled++;
    state.spooledSeqs.push(seq);
    return true;
  }

  function enter(reason: string, first: readonly Numbered[]): void {
    if (state.mode === 'direct' && reason === 'closing') logger.info({ queued: queue.length, inFlight: first.length }, 'closing: writing the records still in memory to the spool');
    else if (state.mode === 'direct') logger.warn({ reason, queued: queue.length, inFlight: first.length }, 'Kafka is not keeping up; spooling records to disk');
    state.mode = 'spooling';
    stopLinger(state);
    // The batch that was in flight is older than anything queued; it is never dropped for the cap.
    for (const { message, seq } of first) toSpool(message, seq, true);
    const firstQueuedSeq = state.lastSeq - queue.length + 1;
    queue.take(queue.length).forEach((message, i) => toSpool(message, firstQueuedSeq + i, false));
    startReplayer();
  }

  async function spoolAhead(unacked: readonly Numbered[]): Promise<void> {
    const tooLarge = await spool.prepend(unacked.map((u) => u.message));
    state.spooled += unacked.length - tooLarge;
    state.spooledSeqs.unshift(unacked.map((u) => u.seq));
    if (tooLarge > 0) dropRecords(state, tooLarge, 'too-large');
  }

  function startReplayer(): void {
    if (state.replayer !== undefined || state.closed) return;
    const inDoubt = !replayEndedEmpty;
    replayEndedEmpty = false;
    state.replayer = replaySpool({
      ...(options.presence !== undefined ? { presence: options.presence } : {}),
      spool,
      sender: state.sender,
      batchMaxRecords: settings.batchMaxRecords,
      inDoubt,
      backoff: state.backoff,
      pauses: state.pauses,
      outages: state.outages,
      logger,
      running: () => !state.closed && state.mode === 'spooling',
      directBatch: () => state.inFlight?.settled,
      onAcknowledged(count) {
        state.published += count;
        state.replayed += count;
        options.onReplayed();
      },
      onBatchDone(count) {
        state.spooledSeqs.shift(count);
        settleWaiters(state);
      },
      onEmpty: sync ? () => (replayEndedEmpty = true) : leave,
    })
      .catch((error: unknown) => logger.error({ err: error }, 'spool replay stopped unexpectedly'))
      .finally(() => {
        state.replayer = undefined;
        // Sync mode: records appended while the replay was ending are sent now; later ones start it again.
        if (sync && replayEndedEmpty && !state.closed) return spool.isEmpty() ? undefined : startReplayer();
        // An unexpected stop must not leave records on disk with nobody sending them.
        if (state.mode === 'spooling' && !state.closed) setTimeout(startReplayer, settings.retryDelayMs.max).unref();
      });
  }

  function leave(): void {
    state.mode = 'direct';
    state.spooledSeqs.clear();
    state.drops.flush('records were dropped while the spool was full');
    logger.info({ published: state.published, replayed: state.replayed, dropped: state.drops.total }, 'spool replayed; publishing to Kafka directly again');
    settleWaiters(state);
    options.onDirectAgain();
  }

  return { enter, toSpool, spoolAhead, startReplayer, markCaughtUp: () => (replayEndedEmpty = true) };
}
