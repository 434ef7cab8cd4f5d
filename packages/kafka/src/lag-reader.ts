// Consumer lag of a job's group: how far its committed offsets are behind the end of its topic, per partition.
import type { Admin, Kafka } from 'kafkajs';
import { committedOffsets, endOffsets } from './group-offsets.js';

export interface PartitionLag {
  partition: number;
  /** The group's committed offset (the next record it will read), or null where it has committed nothing. */
  committed: number | null;
  /** The offset the next record written to the partition will get. */
  end: number;
  /** end − committed, or null where nothing is committed. */
  lag: number | null;
}

/** A partition's lag, with the topic it is on. */
export interface TopicPartitionLag extends PartitionLag {
  topic: string;
}

export interface LagReader {
  /** Rejects when Kafka cannot answer within the reader's time limit. */
  lag(groupId: string, topic: string): Promise<PartitionLag[]>;
  /** The lag of every partition the group has committed on, whatever the topic (a job reads one). */
  groupLag(groupId: string): Promise<TopicPartitionLag[]>;
  /** Resolves once the cluster answers (a readiness probe), rejects as `lag` does. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaLagReaderOptions {
  /** A lag lookup gives up after this many milliseconds (default 5,000): health answers without lag rather than hang. */
  timeoutMs?: number;
}

/** Pure: the lag of each partition from the two offset lists kafkajs returns. */
export function partitionLags(committed: readonly { partition: number; offset: string }[], ends: readonly { partition: number; offset: string }[]): PartitionLag[] {
  const byPartition = new Map(committed.map((c) => [c.partition, Number(c.offset)]));
  return [...ends]
    .sort((a, b) => a.partition - b.partition)
    .map(({ partition, offset }) => {
      const end = Number(offset);
      const at = byPartition.get(partition);
      const known = at !== undefined && at >= 0;
      return { partition, committed: known ? at : null, end, lag: known ? Math.max(0, end - at) : null };
    });
}

/** One admin connection, opened on first use and reopened after a failure. */
export function createKafkaLagReader(kafka: Kafka, options: KafkaLagReaderOptions = {}): LagReader {
  const timeoutMs = options.timeoutMs ?? 5_000;
  let admin: Promise<Admin> | undefined;
  const connected = (): Promise<Admin> => {
    admin ??= (async () => {
      const next = kafka.admin();
      await next.connect();
      return next;
    })();
    return admin;
  };
  const reset = async (): Promise<void> => {
    const current = admin;
    admin = undefined;
    await current?.then((a) => a.disconnect()).catch(() => undefined);
  };

  /** `work` on the shared connection, within the time limit; a failure drops the connection for the next call. */
  async function bounded<T>(work: (client: Admin) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([connected().then(work), timeout]);
    } catch (error) {
      await reset();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    lag: (groupId, topic) =>
      bounded(async (client) => {
        const [committed, ends] = await Promise.all([committedOffsets(client, groupId, topic), endOffsets(client, topic)]);
        return partitionLags(committed, ends);
      }),
    groupLag: (groupId) =>
      bounded(async (client) => {
        const topics = await client.fetchOffsets({ groupId });
        const lags = await Promise.all(
          topics.map(async ({ topic, partitions }) => partitionLags(partitions, await endOffsets(client, topic)).map((p) => ({ topic, ...p }))),
        );
        return lags.flat();
      }),
    ping: () => bounded(async (client) => void (await client.describeCluster())),
    close: reset,
  };
}
