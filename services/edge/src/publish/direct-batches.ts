// Direct mode's sending loop: the memory queue in batches to Kafka, one send at a time; a batch Kafka does not take goes to the spool.
import type { SendOutcome } from './kafka-link.js';
import { settleWaiters, stopLinger, unackedOf } from './publisher-state.js';
import type { DirectBatch, PublisherState } from './publisher-state.js';
import type { Spooling } from './spooling.js';
import { groupByTopic } from './topic-groups.js';

export interface DirectBatches {
  /** A record was queued: sends now if a batch is full, else after the linger. */
  onQueued(): void;
  /** Sends the next batch, if direct mode has one to send and none is in flight. */
  pump(): void;
}

export function createDirectBatches(state: PublisherState, spooling: Spooling): DirectBatches {
  const { settings, logger, queue } = state;

  function onQueued(): void {
    if (queue.length >= settings.batchMaxRecords) pump();
    else if (state.lingerTimer === undefined && state.inFlight === undefined) {
      state.lingerTimer = setTimeout(() => {
        state.lingerTimer = undefined;
        pump();
      }, settings.lingerMs);
    }
  }

  function pump(): void {
    if (state.mode !== 'direct' || state.closed || state.inFlight !== undefined || queue.length === 0) return;
    stopLinger(state);
    const firstSeq = state.lastSeq - queue.length + 1;
    const messages = queue.take(settings.batchMaxRecords);
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const batch: DirectBatch = { firstSeq, messages, acked: messages.map(() => false), owner: 'kafka', settled, settle };
    state.inFlight = batch;
    void sendDirect(batch);
  }

  async function sendDirect(batch: DirectBatch): Promise<void> {
    try {
      const indices = batch.messages.map((_, i) => i);
      for (const group of groupByTopic(indices, (i) => batch.messages[i].topic)) {
        const result = await state.sender.send(group.topic, group.items.map((i) => batch.messages[i]), () => batch.owner === 'kafka');
        // What Kafka took (or the quarantine kept) is never sent again, whoever owns the rest now.
        for (const i of group.items.slice(0, result.done)) batch.acked[i] = true;
        state.published += result.delivered;
        if (batch.owner === 'spool') return;
        if (result.outcome.kind !== 'acked') return await spillFailedBatch(batch, result.outcome);
        state.backoff.reset();
        state.outages.recovered();
      }
      state.inFlight = undefined;
    } catch (error) {
      logger.error({ err: error }, 'publishing a batch failed unexpectedly; spooling it');
      if (batch.owner === 'kafka') await spillFailedBatch(batch, { kind: 'failed', stage: 'send', error });
    } finally {
      batch.settle();
      settleWaiters(state);
      if (state.inFlight === undefined && state.mode === 'direct' && queue.length > 0) onQueued();
    }
  }

  /** The spool takes over a batch Kafka did not acknowledge: ahead of everything queued or published after it. */
  async function spillFailedBatch(batch: DirectBatch, outcome: Exclude<SendOutcome, { kind: 'acked' }>): Promise<void> {
    batch.owner = 'spool';
    if (state.inFlight === batch) state.inFlight = undefined;
    if (outcome.kind !== 'closed') state.outages.failed(outcome);
    if (state.mode === 'direct') spooling.enter(outcome.kind === 'timed-out' ? 'send timed out' : 'send failed', unackedOf(batch));
    // Otherwise the queue went to the spool already (it filled up, or the publisher is closing).
    else await spooling.spoolAhead(unackedOf(batch));
  }

  return { onQueued, pump };
}
