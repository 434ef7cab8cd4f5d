// Reads a compacted topic from its beginning into memory and keeps reading; knows how far it has got.
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from '@sluice/logging';
import { JobStoreError } from './job-store-error.js';
import { ViewPosition } from './view-position.js';

export interface ViewRecord {
  key: Buffer | null;
  value: Buffer | null;
  partition: number;
  offset: string;
}

export interface TopicViewOptions {
  kafka: Kafka;
  topic: string;
  /**
   * The reader's consumer group. kafkajs has no group-less consumer, so each view has a group of
   * its own: it never commits (every start reads the whole topic, which is what a view wants) and
   * is deleted on close.
   */
  groupId: string;
  logger: Logger;
  /** Applies one record. Called once per record, in offset order; must not throw. */
  apply(record: ViewRecord): void;
  /** How long a caller waits for the view to reach an offset before JOB_STORE_BEHIND (default 30 s). */
  waitTimeoutMs?: number;
}

export interface TopicView {
  start(): Promise<void>;
  /** Resolves once the record at `offset` of `partition`, and every one before it, has been applied. */
  applied(partition: number, offset: number): Promise<void>;
  /** Resolves once the view holds every record the topic held when this was called. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Catching up relies on the record just before the high watermark being there to read: true of a
 * topic whose only cleanup policy is compaction, written without transactions, because Kafka never
 * compacts the active segment and the newest record always sits in it.
 */
export function createTopicView(options: TopicViewOptions): TopicView {
  const { kafka, topic, groupId } = options;
  const log = options.logger.child({ topic, group: groupId });
  const waitTimeoutMs = options.waitTimeoutMs ?? 30_000;
  const position = new ViewPosition();
  const admin: Admin = kafka.admin();
  let consumer: Consumer | undefined;
  let closing: Promise<void> | undefined;

  const behind = (partition: number, offset: number) => (): Error =>
    new JobStoreError('JOB_STORE_BEHIND', `the view of ${topic} did not reach offset ${offset} of partition ${partition} within ${waitTimeoutMs} ms`);

  return {
    async start() {
      try {
        await admin.connect();
        consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 1_000 });
        consumer.on(consumer.events.CRASH, (event) => {
          const { error, restart } = event.payload;
          log.error({ err: error, restart }, restart ? 'view reader crashed; kafkajs restarts it' : 'view reader crashed for good');
          if (!restart && !closing) position.fail(new JobStoreError('JOB_STORE_UNAVAILABLE', `the view of ${topic} stopped: ${error.message}`, { cause: error }));
        });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatch: ({ batch }) => {
            for (const message of batch.messages) {
              const offset = Number(message.offset);
              // After a rebalance the group, having committed nothing, reads from the beginning again.
              if (position.isNew(batch.partition, offset)) {
                try {
                  options.apply({ key: message.key, value: message.value, partition: batch.partition, offset: message.offset });
                } catch (error) {
                  log.error({ err: error, partition: batch.partition, offset: message.offset }, 'applying a record failed; skipped');
                }
              }
              position.advanceTo(batch.partition, offset + 1);
            }
            return Promise.resolve();
          },
        });
      } catch (error) {
        throw new JobStoreError('JOB_STORE_UNAVAILABLE', `cannot read ${topic}: ${(error as Error).message}`, { cause: error });
      }
    },
    applied: (partition, offset) => position.waitFor(partition, offset + 1, waitTimeoutMs, behind(partition, offset)),
    async caughtUp() {
      let ends;
      try {
        ends = await admin.fetchTopicOffsets(topic);
      } catch (error) {
        throw new JobStoreError('JOB_STORE_UNAVAILABLE', `cannot read the end of ${topic}: ${(error as Error).message}`, { cause: error });
      }
      // An empty partition (high = low) has nothing to wait for.
      await Promise.all(
        ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => position.waitFor(p.partition, Number(p.high), waitTimeoutMs, behind(p.partition, Number(p.high) - 1))),
      );
    },
    close() {
      closing ??= (async () => {
        position.fail(new JobStoreError('JOB_STORE_CLOSED', `the view of ${topic} is closed`));
        await consumer?.disconnect();
        // The group committed nothing; deleting it keeps `kafka-consumer-groups --list` tidy.
        await admin.deleteGroups([groupId]).catch((error: unknown) => log.debug({ err: error }, 'view group not deleted'));
        await admin.disconnect();
      })();
      return closing;
    },
  };
}
