import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecordPublisher } from '../../src/publish/record-publisher.js';
import type { RecordPublisherOptions } from '../../src/publish/record-publisher.js';
import { capturingLogger, createFakeKafka, expected, message, tempSpoolDir } from './publish-fixtures.js';
import type { FakeKafka } from './publish-fixtures.js';

function options(kafka: FakeKafka, spoolDir: string, extra: Partial<RecordPublisherOptions> = {}): RecordPublisherOptions {
  return { connect: kafka.connect, spoolDir, logger: capturingLogger().logger, lingerMs: 1, retryDelayMs: { initial: 1, max: 5 }, ...extra };
}

test('direct mode delivers every record once, in order, in batches of at most batchMaxRecords', async (t) => {
  const kafka = createFakeKafka();
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { batchMaxRecords: 10 }));
  for (let n = 1; n <= 95; n++) publisher.publish(message(n));
  assert.equal(await publisher.drained(5_000), true);
  assert.deepEqual(kafka.acked, expected(1, 95));
  assert.ok(kafka.sendSizes.every((size) => size <= 10), `send sizes ${kafka.sendSizes.join(',')}`);
  assert.ok(kafka.sendSizes.some((size) => size === 10), 'a full queue goes out in full batches');
  const stats = publisher.stats();
  assert.equal(stats.mode, 'direct');
  assert.equal(stats.published, 95);
  assert.equal(stats.spooled, 0);
  assert.equal(stats.queued, 0);
  assert.equal(stats.kafkaHealthy, true);
  await publisher.close();
});

test('records of several topics go out as one send per topic, each topic in publish order', async (t) => {
  const kafka = createFakeKafka();
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { batchMaxRecords: 6 }));
  for (let n = 1; n <= 30; n++) publisher.publish(message(n, n % 3 === 0 ? 'access_requests' : 'http_requests'));
  assert.equal(await publisher.drained(5_000), true);
  const of = (topic: string): string[] => kafka.acked.filter((r) => r.startsWith(`${topic}:`));
  assert.deepEqual(of('access_requests'), expected(1, 30).filter((_, i) => (i + 1) % 3 === 0).map((r) => r.replace('http_requests', 'access_requests')));
  assert.deepEqual(of('http_requests'), expected(1, 30).filter((_, i) => (i + 1) % 3 !== 0));
  // Each batch of 6 holds both topics: 2 sends per batch.
  assert.equal(kafka.sendSizes.length, 10);
  await publisher.close();
});

test('a lone record goes out after the linger time without waiting for a full batch', async (t) => {
  const kafka = createFakeKafka();
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { batchMaxRecords: 500, lingerMs: 5 }));
  publisher.publish(message(1));
  assert.equal(publisher.stats().queued, 1);
  assert.equal(await publisher.drained(5_000), true);
  assert.deepEqual(kafka.acked, expected(1, 1));
  await publisher.close();
});

test('publish never throws and returns before anything is sent', async (t) => {
  const kafka = createFakeKafka('hang');
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { sendTimeoutMs: 60_000 }));
  for (let n = 1; n <= 100; n++) publisher.publish(message(n));
  assert.equal(kafka.acked.length, 0);
  assert.equal(publisher.stats().queued, 100);
  await publisher.close({ graceMs: 50 });
  // After close, publishing is refused and counted, never thrown.
  assert.doesNotThrow(() => publisher.publish(message(101)));
  assert.equal(publisher.stats().dropped, 1);
});

test('drained answers false at its timeout while records are still owed', async (t) => {
  const kafka = createFakeKafka('down');
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t)));
  publisher.publish(message(1));
  assert.equal(await publisher.drained(30), false);
  await publisher.close({ graceMs: 50 });
});

test('invalid options are refused with a code that names the field', async (t) => {
  const kafka = createFakeKafka();
  await assert.rejects(createRecordPublisher(options(kafka, tempSpoolDir(t), { batchMaxRecords: 0 })), (error: unknown) => {
    assert.equal((error as { code?: string }).code, 'PUBLISH_INVALID_OPTIONS');
    assert.match((error as Error).message, /batchMaxRecords: got 0/);
    return true;
  });
});
