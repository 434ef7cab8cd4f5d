// A publisher thread for tests: the real RecordPublisher and spool over the in-memory fake Kafka, which writes what it acknowledges to a file the test reads.
// A record on the topic `die` ends the thread as it arrives, as a crash would.
import { appendFileSync } from 'node:fs';
import type { RecordProducer } from '@sluice/kafka';
import { createRecordPublisher } from '../../../src/publish/record-publisher.js';
import { servePublisherThread } from '../../../src/publish/thread/serve-publisher.js';
import { capturingLogger, createFakeKafka } from '../publish-fixtures.js';
import type { FakeKafkaState } from '../publish-fixtures.js';

export interface FakeKafkaThreadData {
  readonly spoolDir: string;
  /** Every acknowledged record is appended here as a `topic:value` line. */
  readonly ackFile: string;
  readonly kafka: FakeKafkaState;
  readonly durability?: 'async' | 'sync';
}

await servePublisherThread(async (raw, onDurable) => {
  const data = raw as FakeKafkaThreadData;
  const kafka = createFakeKafka(data.kafka);
  const connect = async (): Promise<RecordProducer> => {
    const producer = await kafka.connect();
    return {
      async send(topic, records) {
        await producer.send(topic, records);
        appendFileSync(data.ackFile, records.map((r) => `${topic}:${r.value.toString()}\n`).join(''));
      },
      close: () => producer.close(),
    };
  };
  const publisher = await createRecordPublisher({ connect, spoolDir: data.spoolDir, logger: capturingLogger().logger, lingerMs: 1, retryDelayMs: { initial: 1, max: 5 }, durability: data.durability ?? 'async', onDurable });
  return {
    ...publisher,
    publish(message) {
      if (message.topic === 'die') process.exit(3);
      publisher.publish(message);
    },
  };
});
