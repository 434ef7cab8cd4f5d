// The publisher thread the gateway runs: its own Kafka client and producer, the presence check and the disk spool.
// Started by startThreadedPublisher (KAFKA_PUBLISHER_THREAD) with a KafkaPublisherThreadData as its workerData.
import { createKafkaClient, createRecordProducer, DEFAULT_DATASET_PARTITIONS, ensureTopics } from '@sluice/kafka';
import type { KafkaSecuritySettings } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import type { LoggerOptions } from '@sluice/logging';
import { createKafkaPresenceCheck } from '../kafka-presence.js';
import { createRecordPublisher } from '../record-publisher.js';
import { createMessageLimits } from '../sizing/message-limits.js';
import type { PublisherTunables } from '../publisher-settings.js';
import { servePublisherThread } from './serve-publisher.js';
import { readTopicMessageLimits } from './topic-message-limits.js';

export interface KafkaPublisherThreadData {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS and SASL, as the gateway read them from its config or environment. */
  readonly security: KafkaSecuritySettings;
  /** Topics created (if missing) before the first send. */
  readonly topics: readonly string[];
  readonly tunables: PublisherTunables;
  /** The gateway logger's level and bindings (its name among them), so that the thread's lines read like the gateway's. */
  readonly log: { readonly level: string; readonly bindings: Readonly<Record<string, unknown>> };
}

await servePublisherThread(async (raw, onDurable) => {
  const data = raw as KafkaPublisherThreadData;
  const { name, ...bindings } = data.log.bindings;
  const base = createLogger({ name: typeof name === 'string' ? name : 'edge', level: data.log.level as LoggerOptions['level'] });
  const logger = base.child({ ...bindings, thread: 'publisher' });
  const kafka = createKafkaClient({
    brokers: data.brokers,
    clientId: data.clientId,
    security: data.security,
    logger: base.child({ thread: 'publisher' }),
    // Few reconnects: while Kafka is away the spool holds records, and the publisher keeps probing.
    retry: { retries: 2, maxRetryTimeMs: 1_000 },
  });
  let topicsReady = false;
  const limits = createMessageLimits();
  return createRecordPublisher({
    ...data.tunables,
    limits,
    onDurable,
    connect: async () => {
      if (!topicsReady) {
        await ensureTopics(kafka, data.topics.map((topic) => ({ topic, numPartitions: DEFAULT_DATASET_PARTITIONS })));
        // Once per thread: a topic's limit rarely changes, and a lower one is learned from refusals anyway.
        await readTopicMessageLimits(kafka, data.topics, limits, logger);
        topicsReady = true;
      }
      // RayIDs only spread records: a send is kept whole on one partition, which costs kafkajs and the broker far less.
      return createRecordProducer(kafka, { retries: 2, maxRetryTimeMs: 1_000, partitioning: 'send' });
    },
    presence: createKafkaPresenceCheck(kafka),
    logger,
  });
});
