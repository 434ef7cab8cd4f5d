// A TailSource on kafkajs: a throwaway consumer group placed at the topic's end offsets, committing nothing, deleted at the end.
import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { TailSourceFactory } from './tail-source.js';

/** How long a fetch waits for records: low, so that a tail shows a request within moments. */
const MAX_WAIT_MS = 200;

/**
 * Each tail is its own group, `sluice-tail-<random>`: it never shares partitions with another tail
 * and never moves a job's offsets. It commits nothing (autoCommit off), and the group is deleted
 * when the tail stops, so no offsets are kept for it.
 */
export function createKafkaTailSources(kafka: Kafka): TailSourceFactory {
  return (topic) => {
    const groupId = `sluice-tail-${randomBytes(6).toString('hex')}`;
    let consumer: Consumer | undefined;
    let stopping: Promise<void> | undefined;

    return {
      async start(onMessages) {
        const admin = kafka.admin();
        await admin.connect();
        let ends: { partition: number; high: string }[];
        try {
          ends = await admin.fetchTopicOffsets(topic);
        } finally {
          await admin.disconnect();
        }
        if (stopping) return;
        consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: MAX_WAIT_MS });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: false });
        const running = consumer.run({
          autoCommit: false,
          eachBatch: async (payload) => {
            if (!payload.isRunning() || payload.isStale()) return;
            const { batch } = payload;
            onMessages(batch.messages);
            await Promise.resolve();
          },
        });
        // Seeks queued before the first fetch place every partition at the end read above, so that
        // nothing published after it is missed, whatever "latest" is when the group has joined.
        for (const { partition, high } of ends) consumer.seek({ topic, partition, offset: high });
        await running;
        // stop() may have run while the group was joining, before this consumer existed for it.
        if (stopping) await consumer.disconnect().catch(() => undefined);
      },
      stop() {
        stopping ??= (async () => {
          await consumer?.disconnect().catch(() => undefined);
          const admin = kafka.admin();
          try {
            await admin.connect();
            await admin.deleteGroups([groupId]);
          } catch {
            // A group that never joined does not exist; one Kafka could not delete is empty and expires with offsets.retention.
          } finally {
            await admin.disconnect().catch(() => undefined);
          }
        })();
        return stopping;
      },
    };
  };
}
