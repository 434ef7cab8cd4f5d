// Each job's last committed position per partition, kept in a compacted topic that outlives Kafka's expiry of idle groups' offsets.
//
// Kafka deletes a consumer group's committed offsets once the group has been empty for
// `offsets.retention.minutes` (7 days by default): a job disabled for longer would otherwise have
// nowhere to resume from. Every commit is copied here (key `<job>/<topic>/<partition>`), and a job
// whose group has no offset for a partition resumes from this copy.
import type { Kafka } from 'kafkajs';
import type { RecordProducer } from './record-producer.js';

export const POSITION_TOPIC = 'sluice.job-positions';

/** Compacted: the newest position per key is all that is kept. */
export const POSITION_TOPIC_SPEC = {
  topic: POSITION_TOPIC,
  numPartitions: 1,
  config: { 'cleanup.policy': 'compact', 'segment.ms': String(60 * 60 * 1000), 'min.cleanable.dirty.ratio': '0.1' },
} as const;

export interface JobPosition {
  partition: number;
  /** The next offset to read (a committed offset). */
  offset: number;
  /** The commit's metadata (Sluice's batch cuts), or null. */
  metadata: string | null;
}

export interface PositionLog {
  /** Copies committed positions; a failure is the caller's to log (the group's own commit already went through). */
  record(jobId: number, topic: string, positions: readonly JobPosition[]): Promise<void>;
  /** The job's last recorded position per partition of `topic`; empty for a job that never committed. */
  read(jobId: number, topic: string): Promise<JobPosition[]>;
}

const keyFor = (jobId: number, topic: string, partition: number): string => `${jobId}/${topic}/${partition}`;

/** How long reading the log may take before it is given up (the job then starts as if it had none). */
const READ_LIMIT_MS = 30_000;

export function createPositionLog(kafka: Kafka, producer: Pick<RecordProducer, 'send'>): PositionLog {
  return {
    record(jobId, topic, positions) {
      return producer.send(
        POSITION_TOPIC,
        positions.map((p) => ({ key: keyFor(jobId, topic, p.partition), value: Buffer.from(JSON.stringify({ offset: p.offset, metadata: p.metadata })) })),
      );
    },
    async read(jobId, topic) {
      const prefix = `${jobId}/${topic}/`;
      const admin = kafka.admin();
      await admin.connect();
      let ends: Map<number, number>;
      try {
        ends = new Map((await admin.fetchTopicOffsets(POSITION_TOPIC)).map((o) => [o.partition, Number(o.high)]));
      } finally {
        await admin.disconnect();
      }
      const found = new Map<number, JobPosition>();
      const pending = new Set([...ends].filter(([, high]) => high > 0).map(([partition]) => partition));
      if (pending.size === 0) return [];
      // A throwaway group reads the topic once from the start; it is deleted afterwards.
      const groupId = `sluice-position-reader-${jobId}-${process.pid}-${Date.now()}`;
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: POSITION_TOPIC, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`reading ${POSITION_TOPIC} took over ${READ_LIMIT_MS / 1000} s`)), READ_LIMIT_MS);
          consumer
            .run({
              autoCommit: false,
              eachMessage: async ({ partition, message }) => {
                const key = message.key?.toString() ?? '';
                if (key.startsWith(prefix) && message.value) {
                  const { offset, metadata } = JSON.parse(message.value.toString()) as { offset: number; metadata: string | null };
                  const p = Number(key.slice(prefix.length));
                  found.set(p, { partition: p, offset, metadata });
                }
                if (Number(message.offset) + 1 >= (ends.get(partition) ?? 0)) pending.delete(partition);
                if (pending.size === 0) {
                  clearTimeout(timer);
                  resolve();
                }
                await Promise.resolve();
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
        const cleanup = kafka.admin();
        await cleanup.connect();
        await cleanup.deleteGroups([groupId]).catch(() => undefined);
        await cleanup.disconnect();
      }
      return [...found.values()].sort((a, b) => a.partition - b.partition);
    },
  };
}
