// Sends the spool to Kafka from its head, a batch at a time, and moves the head only after Kafka acknowledged.
import type { Logger } from '@sluice/logging';
import type { Backoff } from './backoff.js';
import type { OutageLog } from './outage-log.js';
import type { Pauses } from './pauses.js';
import type { DiskSpool, SpoolBatch } from './spool/disk-spool.js';
import type { PresenceCheck } from './kafka-presence.js';
import type { SizedSender } from './sizing/sized-sender.js';
import { groupByTopic } from './topic-groups.js';

export interface SpoolReplayerOptions {
  readonly spool: DiskSpool;
  readonly sender: SizedSender;
  readonly batchMaxRecords: number;
  /** Whether the head may hold records an earlier send wrote without its acknowledgement arriving (default true). */
  readonly inDoubt?: boolean;
  readonly backoff: Backoff;
  readonly pauses: Pauses;
  readonly outages: OutageLog;
  readonly logger: Logger;
  /** False once replay must stop: the publisher closes, or has left spooling mode. */
  readonly running: () => boolean;
  /**
   * Settles when the direct batch still in flight (if any) has reached Kafka or the spool. Replay
   * waits for it: one send at a time, and a failing batch goes to the spool ahead of the head.
   */
  readonly directBatch: () => Promise<void> | undefined;
  /** Records were acknowledged by Kafka (the head is saved already); quarantined ones are not counted here. */
  readonly onAcknowledged: (count: number) => void;
  /** Every record of a batch was acknowledged. */
  readonly onBatchDone: (count: number) => void;
  /** The spool is empty: replay ends here. */
  readonly onEmpty: () => void;
  /**
   * Asked before sending records that may already be in Kafka: the first batch of a replay (it holds
   * the batch in flight when Kafka went away, or what a previous process had sent), and any batch
   * after a failed attempt. Records it finds are acknowledged without being sent again.
   */
  readonly presence?: PresenceCheck;
}

interface ReplayState {
  /** Whether the head may hold records an earlier send wrote without its acknowledgement arriving. */
  inDoubt: boolean;
}

/** Replays until the spool is empty (then calls `onEmpty`) or `running` turns false. */
export async function replaySpool(options: SpoolReplayerOptions): Promise<void> {
  const { spool, running } = options;
  const state: ReplayState = { inDoubt: options.inDoubt ?? true };
  while (running()) {
    const direct = options.directBatch();
    if (direct !== undefined) {
      await direct;
      continue;
    }
    let batch: SpoolBatch;
    try {
      batch = await spool.readBatch(options.batchMaxRecords);
    } catch (error) {
      options.logger.error({ err: error }, 'cannot read the spool; retrying');
      await options.pauses.pause(options.backoff.next());
      continue;
    }
    if (!running()) return;
    if (batch.entries.length > 0) await replayBatch(options, batch, state);
    else if (spool.isEmpty() && options.directBatch() === undefined) return options.onEmpty();
  }
}

async function replayBatch(options: SpoolReplayerOptions, batch: SpoolBatch, state: ReplayState): Promise<void> {
  for (const group of groupByTopic(batch.entries, (e) => e.message.topic)) {
    /** Entries of the group not yet acknowledged: what Kafka took (or the quarantine kept) is never sent again. */
    let remaining = group.items;
    while (remaining.length > 0) {
      if (!options.running()) return;
      let toSend = remaining;
      if (state.inDoubt && options.presence !== undefined) {
        try {
          const present = await options.presence(group.topic, remaining.map((e) => e.message));
          toSend = present.size === 0 ? remaining : remaining.filter((e) => e.message.key === undefined || !present.has(e.message.key));
          if (present.size > 0) options.logger.info({ topic: group.topic, alreadyInKafka: remaining.length - toSend.length, resending: toSend.length }, 'records of an unacknowledged send were found in Kafka; only the rest are sent');
        } catch (error) {
          // Kafka is still away (the outage log already says so): quiet, and try again.
          options.logger.debug({ err: error, topic: group.topic }, 'cannot check which spooled records Kafka already holds; trying again');
          await options.pauses.pause(options.backoff.next());
          continue;
        }
      }
      const result = toSend.length === 0 ? { done: 0, delivered: 0, outcome: { kind: 'acked' } as const } : await options.sender.send(group.topic, toSend.map((e) => e.message), options.running);
      if (result.outcome.kind === 'acked') {
        state.inDoubt = false;
        options.backoff.reset();
        options.outages.recovered();
        // Saved per topic: a restart between two topics of one batch does not resend the first.
        await options.spool.acknowledge(batch, remaining);
        options.onAcknowledged(result.delivered + remaining.length - toSend.length);
        break;
      }
      if (result.done > 0) {
        // Found present (everything before the first sent entry) or sent: acknowledged now, so a failure later cannot resend them.
        const firstOpen = toSend[result.done];
        const cut = firstOpen === undefined ? remaining.length : remaining.indexOf(firstOpen);
        await options.spool.acknowledge(batch, remaining.slice(0, cut));
        options.onAcknowledged(result.delivered + cut - result.done);
        remaining = remaining.slice(cut);
      }
      if (result.outcome.kind === 'closed') return;
      state.inDoubt = true;
      options.outages.failed(result.outcome);
      await options.pauses.pause(options.backoff.next());
    }
  }
  options.onBatchDone(batch.entries.length);
}
