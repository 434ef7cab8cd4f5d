// Writes to the store's single-partition topics and says at which offset each write landed.
import { Partitioners } from 'kafkajs';
import type { Kafka, Producer } from 'kafkajs';
import { ensureTopics } from '@sluice/kafka';
import type { TopicSpec } from '@sluice/kafka';
import { JobStoreError } from './job-store-error.js';

export interface StoreMessage {
  key: string | null;
  /** null writes a tombstone. */
  value: string | null;
}

export interface StoreProducer {
  /** Appends the messages, in order and in one request, to partition 0; resolves with the offset of the last. */
  append(topic: string, messages: readonly StoreMessage[]): Promise<number>;
  close(): Promise<void>;
}

export async function createStoreProducer(kafka: Kafka): Promise<StoreProducer> {
  // Not idempotent: every write is a whole value for its key (or an id claim nobody reads back), so a
  // duplicate from a retry changes nothing; one request in flight keeps one writer's changes in order.
  // Bounded retries: an API request should fail rather than hang while Kafka is away.
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: false,
    maxInFlightRequests: 1,
    // Every write names partition 0; the partitioner is set only to keep kafkajs from warning about its default.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
  try {
    await producer.connect();
  } catch (error) {
    throw new JobStoreError('JOB_STORE_UNAVAILABLE', `cannot connect a producer to Kafka: ${(error as Error).message}`, { cause: error });
  }
  return {
    async append(topic, messages) {
      let written;
      try {
        written = await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ key: m.key, value: m.value, partition: 0 })) });
      } catch (error) {
        throw new JobStoreError('JOB_STORE_UNAVAILABLE', `write to ${topic} failed: ${(error as Error).message}`, { cause: error });
      }
      const metadata = written.find((m) => m.partition === 0);
      if (metadata?.baseOffset === undefined) throw new JobStoreError('JOB_STORE_UNAVAILABLE', `write to ${topic}: Kafka returned no offset`);
      return Number(metadata.baseOffset) + messages.length - 1;
    },
    close: () => producer.disconnect(),
  };
}

/**
 * Starts a store: creates its topics when missing, connects its producer and starts its view. The
 * producer is closed again when the view cannot start; failures carry the store's error codes.
 */
export async function openStore(kafka: Kafka, topics: readonly TopicSpec[], view: { start(): Promise<void> }): Promise<StoreProducer> {
  try {
    await ensureTopics(kafka, topics);
  } catch (error) {
    throw new JobStoreError('JOB_STORE_UNAVAILABLE', `cannot create ${topics.map((t) => t.topic).join(', ')}: ${(error as Error).message}`, { cause: error });
  }
  const producer = await createStoreProducer(kafka);
  try {
    await view.start();
  } catch (error) {
    await producer.close().catch(() => undefined);
    throw error;
  }
  return producer;
}
