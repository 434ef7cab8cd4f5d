import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEdgeMetrics } from '../../src/gateway/edge-metrics.js';
import { createSyncKafkaHealth } from '../../src/publish/kafka-health.js';
import { createRecordPublisher } from '../../src/publish/record-publisher.js';
import type { RecordPublisherOptions } from '../../src/publish/record-publisher.js';
import { capturingLogger, createFakeKafka, message, tempSpoolDir } from './publish-fixtures.js';
import type { FakeKafka } from './publish-fixtures.js';

function syncOptions(kafka: FakeKafka, spoolDir: string): RecordPublisherOptions {
  return { connect: kafka.connect, spoolDir, logger: capturingLogger().logger, lingerMs: 1, retryDelayMs: { initial: 1, max: 5 }, sendTimeoutMs: 100, durability: 'sync' };
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), what);
}

test('sync: the kafka_healthy gauge reads 1 while the replayer keeps Kafka up to date, 0 once sends fail', async (t) => {
  const kafka = createFakeKafka('up');
  const publisher = await createRecordPublisher(syncOptions(kafka, tempSpoolDir(t)));
  const metrics = createEdgeMetrics();
  metrics.watchPublisher(publisher);
  const gauge = async (): Promise<string> => (await metrics.registry.getSingleMetricAsString('sluice_edge_kafka_healthy')).split('\n').at(-1) ?? '';
  await Promise.all(Array.from({ length: 20 }, (_, i) => publisher.publishDurably!(message(i + 1))));
  assert.equal(await publisher.drained(5_000), true);
  assert.equal(publisher.stats().mode, 'spooling', 'sync mode sends through the spool');
  assert.equal(publisher.stats().kafkaHealthy, true);
  assert.equal(await gauge(), 'sluice_edge_kafka_healthy 1');
  kafka.state = 'down';
  await Promise.all(Array.from({ length: 5 }, (_, i) => publisher.publishDurably!(message(i + 21))));
  await eventually(() => !publisher.stats().kafkaHealthy, 'unhealthy once a replay send failed');
  assert.equal(await gauge(), 'sluice_edge_kafka_healthy 0');
  kafka.state = 'up';
  await eventually(() => publisher.stats().kafkaHealthy, 'healthy again once the replayer catches up');
  await publisher.close({ graceMs: 200 });
});

test('sync health: a replayer with records to send that made no progress within the window is unhealthy, though its last send succeeded', () => {
  let now = 1_000;
  const health = createSyncKafkaHealth(() => now, 5_000);
  assert.equal(health.healthy({ linkHealthy: true, spoolRecords: 10 }), true, 'within the window from the start');
  assert.equal(health.healthy({ linkHealthy: false, spoolRecords: 0 }), false, 'a failed send is never healthy');
  now += 6_000;
  assert.equal(health.healthy({ linkHealthy: true, spoolRecords: 10 }), false, 'stalled');
  assert.equal(health.healthy({ linkHealthy: true, spoolRecords: 0 }), true, 'caught up: nothing to send');
  health.progressed();
  now += 4_000;
  assert.equal(health.healthy({ linkHealthy: true, spoolRecords: 10 }), true, 'progress within the window');
});

test('async: the gauge keeps its rule: 0 while records go through the spool', async (t) => {
  const kafka = createFakeKafka('up');
  const publisher = await createRecordPublisher({ ...syncOptions(kafka, tempSpoolDir(t)), durability: 'async' });
  const metrics = createEdgeMetrics();
  metrics.watchPublisher(publisher);
  publisher.publish(message(1));
  assert.equal(await publisher.drained(5_000), true);
  assert.match(await metrics.registry.getSingleMetricAsString('sluice_edge_kafka_healthy'), /sluice_edge_kafka_healthy 1/);
  assert.equal(publisher.stats().durability, undefined);
  await publisher.close({ graceMs: 200 });
});
