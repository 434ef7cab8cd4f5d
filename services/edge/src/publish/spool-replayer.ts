// Sends the spool to Kafka from its head, a batch at a time, and moves the head only after Kafka acknowledged.
import type { Logger } from '@sluice/logging';
import type { Backoff } from './backoff.js';
import type { KafkaLink } from './kafka-link.js';
import type { OutageLog } from './outage-log.js';
import type { Pauses } from './pauses.js';
import type { DiskSpool, SpoolBatch } from './spool/disk-spool.js';
import type { PresenceCheck } from './kafka-presence.js';
import { groupByTopic, toOutgoingRecord } from './topic-groups.js';

export interface SpoolReplayerOptions {
  readonly spool: DiskSpool;
  readonly link: KafkaLink;
  readonly batchMaxRecords: number;
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
  /** Records of one topic were acknowledged (the head is saved already). */
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
  const state: ReplayState = { inDoubt: true };
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
    for (;;) {
      if (!options.running()) return;
      let toSend = group.items;
      if (state.inDoubt && options.presence !== undefined) {
        try {
          const present = await options.presence(group.topic, group.items.map((e) => e.message));
          toSend = present.size === 0 ? group.items : group.items.filter((e) => e.message.key === undefined || !present.has(e.message.key));
          if (present.size > 0) options.logger.info({ topic: group.topic, alreadyInKafka: group.items.length - toSend.length, resending: toSend.length }, 'records of an unacknowledged send were found in Kafka; only the rest are sent');
        } catch (error) {
          // Kafka is still away (the outage log already says so): quiet, and try again.
          options.logger.debug({ err: error, topic: group.topic }, 'cannot check which spooled records Kafka already holds; trying again');
          await options.pauses.pause(options.backoff.next());
          continue;
        }
      }
      const outcome = toSend.length === 0 ? ({ kind: 'acked' } as const) : await options.link.send(group.topic, toSend.map((e) => toOutgoingRecord(e.message)));
      if (outcome.kind === 'acked') break;
      if (outcome.kind === 'closed') return;
      state.inDoubt = true;
      options.outages.failed(outcome);
      await options.pauses.pause(options.backoff.next());
    }
    state.inDoubt = false;
    options.backoff.reset();
    options.outages.recovered();
    // Saved per topic: a restart between two topics of one batch does not resend the first.
    await options.spool.acknowledge(batch, group.items);
    options.onAcknowledged(group.items.length);
  }
  options.onBatchDone(batch.entries.length);
}
