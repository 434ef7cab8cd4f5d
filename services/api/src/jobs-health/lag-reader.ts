// Consumer lag of a job's group: how far its committed offsets are behind the end of its topic, per partition.
import type { Admin, Kafka } from 'kafkajs';
import { committedOffsets, endOffsets } from '@sluice/kafka';

export interface PartitionLag {
  partition: number;
  /** The group's committed offset (the next record it will read), or null where it has committed nothing. */
  committed: number | null;
  /** The offset the next record written to the partition will get. */
  end: number;
  /** end − committed, or null where nothing is committed. */
  lag: number | null;
}

export interface LagReader {
  /** Rejects when Kafka cannot answer within the reader's time limit. */
  lag(groupId: string, topic: string): Promise<PartitionLag[]>;
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

  return {
    async lag(groupId, topic) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`Kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      });
      try {
        const work = (async () => {
          const client = await connected();
          const [committed, ends] = await Promise.all([committedOffsets(client, groupId, topic), endOffsets(client, topic)]);
          return partitionLags(committed, ends);
        })();
        return await Promise.race([work, timeout]);
      } catch (error) {
        await reset();
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    close: reset,
  };
}
