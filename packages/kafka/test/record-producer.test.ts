import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka, ProducerConfig } from 'kafkajs';
import { createRecordProducer } from '../src/record-producer.js';

/** A Kafka client that only records the producer configuration it is asked for. */
function recordingKafka(): { kafka: Kafka; configs: ProducerConfig[] } {
  const configs: ProducerConfig[] = [];
  const kafka = {
    producer(config: ProducerConfig) {
      configs.push(config);
      return { connect: () => Promise.resolve(), send: () => Promise.resolve([]), disconnect: () => Promise.resolve() };
    },
  } as unknown as Kafka;
  return { kafka, configs };
}

test('by default the producer is idempotent and retries without end', async () => {
  const { kafka, configs } = recordingKafka();
  await createRecordProducer(kafka);
  assert.equal(configs[0]?.idempotent, true);
  assert.equal(configs[0]?.maxInFlightRequests, 1);
  assert.deepEqual(configs[0]?.retry, { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 });
});

test('a caller with somewhere else to put records can make the producer give up sooner', async () => {
  const { kafka, configs } = recordingKafka();
  await createRecordProducer(kafka, { retries: 2, maxRetryTimeMs: 1_000 });
  assert.equal(configs[0]?.idempotent, true);
  assert.deepEqual(configs[0]?.retry, { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 });
});
