import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka } from 'kafkajs';
import { createKafkaJobConsumer } from '../../src/consumer/kafka-job-consumer.js';

const POLICY = { initialDelayMs: 10, maxDelayMs: 10, multiplier: 1, maxAttempts: Infinity };

/** An admin whose group offsets read `reads` in turn, and whose setOffsets finds the group already joined by another member. */
function racingKafka(reads: string[][]): { kafka: Kafka; sets: number } {
  const state = { sets: 0 };
  let read = 0;
  const admin = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    fetchOffsets: () => {
      const offsets = reads[Math.min(read++, reads.length - 1)] ?? [];
      return Promise.resolve([{ topic: 't', partitions: offsets.map((offset, partition) => ({ partition, offset, metadata: null })) }]);
    },
    fetchTopicOffsets: () => Promise.resolve([0, 1].map((partition) => ({ partition, offset: '50', high: '50', low: '0' }))),
    fetchTopicOffsetsByTimestamp: () => Promise.resolve([0, 1].map((partition) => ({ partition, offset: '40' }))),
    setOffsets: () => {
      state.sets++;
      return Promise.reject(new Error('The consumer group must have no running instances, current state: Stable'));
    },
  };
  return {
    kafka: { admin: () => admin } as unknown as Kafka,
    get sets() {
      return state.sets;
    },
  };
}

void test('a member whose seed loses the race to another member starting at the same moment takes that member\'s seed', async () => {
  const fake = racingKafka([['-1', '-1'], ['40', '40']]);
  const consumer = createKafkaJobConsumer({ kafka: fake.kafka, groupId: 'g', topic: 't', jobId: 1, restartPolicy: POLICY });
  assert.deepEqual(await consumer.seed({ now: new Date(0) }), [], 'nothing seeded by this member: the other one did');
  assert.equal(fake.sets, 1);
});

void test('the refusal stands when some partition is still without an offset', async () => {
  const fake = racingKafka([['-1', '-1'], ['40', '-1']]);
  const consumer = createKafkaJobConsumer({ kafka: fake.kafka, groupId: 'g', topic: 't', jobId: 1, restartPolicy: POLICY });
  await assert.rejects(consumer.seed({ now: new Date(0) }), /must have no running instances/);
});
