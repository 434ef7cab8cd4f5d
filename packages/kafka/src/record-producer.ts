// An idempotent producer that waits for all in-sync replicas: no duplicates from its own retries.
import { Partitioners } from 'kafkajs';
import type { Kafka, Producer, IHeaders } from 'kafkajs';
import { createSendPartitioner } from './send-partitioner.js';

export interface OutgoingRecord {
  value: Buffer;
  key?: Buffer | string | null;
  headers?: IHeaders;
  /** Milliseconds since the epoch; the broker's time when absent. */
  timestampMs?: number;
}

export interface RecordProducer {
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface RecordProducerOptions {
  /**
   * How often a failed send is retried before it rejects. Default: without end, since an idempotent
   * producer that gives up may already have written the record. A caller with somewhere else to put
   * the record (the edge's disk spool) passes a few and accepts a rare duplicate instead.
   */
  retries?: number;
  /** The longest wait between two retries, in milliseconds (default 5,000). */
  maxRetryTimeMs?: number;
  /**
   * `key` (default): a record's partition follows from its key, round-robin without one.
   * `send`: each send's records go to one partition, the next partition with each send
   * (send-partitioner.ts); for producers whose keys only spread records, never group them.
   */
  partitioning?: 'key' | 'send';
}

export async function createRecordProducer(kafka: Kafka, options: RecordProducerOptions = {}): Promise<RecordProducer> {
  const perSend = options.partitioning === 'send' ? createSendPartitioner() : undefined;
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Records without a key are spread round-robin over the partitions.
    createPartitioner: perSend?.create ?? Partitioners.DefaultPartitioner,
    retry: { retries: options.retries ?? Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: options.maxRetryTimeMs ?? 5_000 },
  });
  await producer.connect();
  return {
    async send(topic, records) {
      if (records.length === 0) return;
      perSend?.nextSend();
      await producer.send({
        topic,
        acks: -1,
        messages: records.map((r) => ({
          value: r.value,
          key: r.key ?? null,
          headers: r.headers,
          timestamp: r.timestampMs === undefined ? undefined : String(r.timestampMs),
        })),
      });
    },
    close: () => producer.disconnect(),
  };
}
