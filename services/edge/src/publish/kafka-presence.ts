// Which of a batch's records Kafka already holds: asked before resending a batch whose earlier send may have landed unacknowledged.
import type { Kafka } from 'kafkajs';
import type { PublishedMessage } from './published-message.js';

/** Keys (RayIDs) of `messages` found in `topic`, looking only at records written since the batch's earliest timestamp. */
export type PresenceCheck = (topic: string, messages: readonly PublishedMessage[]) => Promise<ReadonlySet<string>>;

/** Records may carry a client timestamp slightly behind the broker's index; look a little further back. */
const CLOCK_SLACK_MS = 5_000;
/** A check that cannot finish (Kafka gone again) fails, and the replay tries again later. */
const CHECK_TIMEOUT_MS = 30_000;

/**
 * A send cut off by a broker going away can have been written without its acknowledgement arriving;
 * resending it as a new producer would duplicate it. This reads the topic from the batch's earliest
 * timestamp to its current end (during an outage that is only the records around the failure) and
 * returns the keys it finds, so the replay sends only what is missing.
 */
export function createKafkaPresenceCheck(kafka: Kafka): PresenceCheck {
  return async (topic, messages) => {
    const wanted = new Set<string>();
    let earliest = Number.POSITIVE_INFINITY;
    for (const message of messages) {
      if (message.topic !== topic || message.key === undefined) continue;
      wanted.add(message.key);
      earliest = Math.min(earliest, message.timestampMs);
    }
    const found = new Set<string>();
    if (wanted.size === 0) return found;
    const admin = kafka.admin();
    await admin.connect();
    let all: { partition: number; from: bigint; to: bigint }[];
    try {
      const [starts, ends] = await Promise.all([admin.fetchTopicOffsetsByTimestamp(topic, earliest - CLOCK_SLACK_MS), admin.fetchTopicOffsets(topic)]);
      all = ends.map((end) => {
        const start = starts.find((s) => s.partition === end.partition)?.offset ?? end.high;
        const from = BigInt(start) < 0n ? BigInt(end.high) : BigInt(start);
        return { partition: end.partition, from, to: BigInt(end.high) };
      });
    } finally {
      await admin.disconnect();
    }
    const ranges = all.filter((range) => range.from < range.to);
    if (ranges.length === 0) return found;
    const consumer = kafka.consumer({ groupId: `sluice-edge-presence-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const pending = new Map(ranges.map((r) => [r.partition, r.to]));
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const to = pending.get(batch.partition);
          if (to === undefined) return;
          for (const message of batch.messages) {
            if (BigInt(message.offset) >= to) break;
            const key = message.key?.toString();
            if (key !== undefined && wanted.has(key)) found.add(key);
          }
          const last = batch.messages.at(-1);
          if (last !== undefined && BigInt(last.offset) + 1n >= to) {
            pending.delete(batch.partition);
            if (pending.size === 0) finish();
          }
          await Promise.resolve();
        },
      });
      // Every partition is placed: the ones with nothing to read at their end, so nothing old is fetched.
      for (const range of all) consumer.seek({ topic, partition: range.partition, offset: range.from.toString() });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`reading ${topic} back to check ${wanted.size} records took over ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      });
      try {
        await Promise.race([finished, timedOut]);
      } finally {
        clearTimeout(timer);
      }
      return found;
    } finally {
      await consumer.disconnect();
    }
  };
}
