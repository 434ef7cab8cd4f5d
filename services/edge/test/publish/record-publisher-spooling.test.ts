import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRecordPublisher } from '../../src/publish/record-publisher.js';
import type { RecordPublisherOptions } from '../../src/publish/record-publisher.js';
import { capturingLogger, createFakeKafka, eventually, expected, message, tempSpoolDir } from './publish-fixtures.js';
import type { CapturedLog, FakeKafka } from './publish-fixtures.js';

function options(kafka: FakeKafka, spoolDir: string, extra: Partial<RecordPublisherOptions> = {}): RecordPublisherOptions {
  return { connect: kafka.connect, spoolDir, logger: capturingLogger().logger, lingerMs: 1, retryDelayMs: { initial: 1, max: 5 }, ...extra };
}

test('a failing send spills the batch in flight and then the queue to the spool, and they replay exactly once, in order, when Kafka returns', async (t) => {
  const kafka = createFakeKafka();
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { batchMaxRecords: 5 }));
  await eventually(() => publisher.stats().kafkaHealthy, 'connected');
  kafka.state = 'down';
  // 1–5 leave as a batch at once; 6–20 wait in the queue behind it.
  for (let n = 1; n <= 20; n++) publisher.publish(message(n));
  await eventually(() => publisher.stats().mode === 'spooling', 'spooling');
  for (let n = 21; n <= 25; n++) publisher.publish(message(n));
  let stats = publisher.stats();
  assert.equal(stats.spooled, 25);
  assert.equal(stats.queued, 0);
  assert.equal(stats.published, 0);
  assert.equal(stats.kafkaHealthy, false);

  kafka.state = 'up';
  await eventually(() => publisher.stats().mode === 'direct', 'back to direct mode');
  assert.deepEqual(kafka.acked, expected(1, 25));
  publisher.publish(message(26));
  assert.equal(await publisher.drained(5_000), true);
  assert.deepEqual(kafka.acked, expected(1, 26));
  stats = publisher.stats();
  assert.equal(stats.published, 26);
  assert.equal(stats.replayed, 25);
  assert.equal(stats.spoolRecords, 0);
  assert.equal(stats.spoolBytes, 0, 'replayed segments are deleted');
  await publisher.close();
});

test('a send hung longer than sendTimeoutMs spills to the spool; only a late acknowledgement of that very batch can repeat records', async (t) => {
  const kafka = createFakeKafka();
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { batchMaxRecords: 5, sendTimeoutMs: 30 }));
  await eventually(() => publisher.stats().kafkaHealthy, 'connected');
  kafka.state = 'hang';
  for (let n = 1; n <= 12; n++) publisher.publish(message(n));
  await eventually(() => publisher.stats().mode === 'spooling', 'spooling after the timeout');
  assert.equal(publisher.stats().spooled, 12);
  assert.equal(publisher.stats().kafkaHealthy, false);

  kafka.state = 'up';
  await eventually(() => publisher.stats().mode === 'direct', 'replayed');
  assert.deepEqual(kafka.acked, expected(1, 12));
  // The hung send did write after all: at least once, so 1–5 appear twice, and nothing else does.
  kafka.releaseHung('ack');
  assert.deepEqual(kafka.acked, [...expected(1, 12), ...expected(1, 5)]);
  await publisher.close();
});

test('a full memory queue spills to the spool; the batch in flight, once acknowledged, is not sent again', async (t) => {
  const kafka = createFakeKafka();
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { batchMaxRecords: 5, queueMaxRecords: 10, sendTimeoutMs: 60_000 }));
  await eventually(() => publisher.stats().kafkaHealthy, 'connected');
  kafka.state = 'hang';
  for (let n = 1; n <= 16; n++) publisher.publish(message(n));
  const stats = publisher.stats();
  assert.equal(stats.mode, 'spooling');
  assert.equal(stats.spooled, 11, '6–16 spilled; 1–5 are in flight');

  kafka.state = 'up';
  kafka.releaseHung('ack');
  await eventually(() => publisher.stats().mode === 'direct', 'replayed');
  assert.deepEqual(kafka.acked, expected(1, 16));
  assert.equal(publisher.stats().published, 16);
  assert.equal(publisher.stats().replayed, 11);
  await publisher.close();
});

test('a full memory queue spills to the spool; the batch in flight, if it then fails, goes ahead of the spilled records', async (t) => {
  const kafka = createFakeKafka();
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { batchMaxRecords: 5, queueMaxRecords: 10, sendTimeoutMs: 60_000 }));
  await eventually(() => publisher.stats().kafkaHealthy, 'connected');
  kafka.state = 'hang';
  for (let n = 1; n <= 16; n++) publisher.publish(message(n));
  assert.equal(publisher.stats().mode, 'spooling');
  kafka.state = 'down';
  kafka.releaseHung('fail');
  await eventually(() => publisher.stats().spooled === 16, 'the failed batch spooled');
  for (let n = 17; n <= 20; n++) publisher.publish(message(n));

  kafka.state = 'up';
  await eventually(() => publisher.stats().mode === 'direct', 'replayed');
  assert.deepEqual(kafka.acked, expected(1, 20));
  await publisher.close();
});

test('a full spool drops new records, counts them, and warns once per 10 seconds with the running count', async (t) => {
  const kafka = createFakeKafka('down');
  const { logger, lines } = capturingLogger();
  let clock = 1_000_000;
  const publisher = await createRecordPublisher({
    ...options(kafka, tempSpoolDir(t), { queueMaxRecords: 10, spoolMaxBytes: 4096 }),
    logger,
    now: () => clock,
  });
  for (let n = 1; n <= 500; n++) publisher.publish(message(n));
  const stats = publisher.stats();
  assert.ok(stats.dropped > 0, 'some records dropped');
  assert.equal(stats.spooled + stats.dropped, 500);
  assert.ok(stats.spoolBytes <= 4096, `spool bytes ${stats.spoolBytes}`);
  const dropWarnings = (): CapturedLog[] => lines.filter((l) => l.level === 'warn' && l.msg.startsWith('records dropped'));
  assert.equal(dropWarnings().length, 1);
  assert.equal(dropWarnings()[0]?.['dropped'], 1);

  for (let n = 501; n <= 600; n++) publisher.publish(message(n));
  assert.equal(dropWarnings().length, 1, 'no second warning within 10 s');
  clock += 10_000;
  publisher.publish(message(601));
  assert.equal(dropWarnings().length, 2);
  assert.equal(dropWarnings()[1]?.['dropped'], publisher.stats().dropped, 'the running count');

  // What was spooled is the oldest records, and it all arrives once Kafka is back.
  const spooled = publisher.stats().spooled;
  kafka.state = 'up';
  await eventually(() => publisher.stats().mode === 'direct', 'replayed');
  assert.deepEqual(kafka.acked, expected(1, spooled));
  await publisher.close();
});

test('close() while Kafka hangs returns within its grace, and a new publisher on the same directory replays everything exactly once, in order', async (t) => {
  const dir = tempSpoolDir(t);
  const down = createFakeKafka();
  const first = await createRecordPublisher(options(down, dir, { batchMaxRecords: 7, sendTimeoutMs: 60_000 }));
  await eventually(() => first.stats().kafkaHealthy, 'connected');
  down.state = 'hang';
  for (let n = 1; n <= 50; n++) first.publish(message(n));
  assert.equal(first.stats().mode, 'direct', 'one batch hangs in flight, the rest is queued');
  await first.close({ graceMs: 100 });
  assert.equal(first.stats().spoolRecords, 50);
  await first.close(); // idempotent

  const up = createFakeKafka();
  const second = await createRecordPublisher(options(up, dir, { batchMaxRecords: 7 }));
  assert.equal(second.stats().mode, 'spooling', 'starts by replaying what the spool holds');
  assert.equal(await second.drained(5_000), true);
  assert.deepEqual(up.acked, expected(1, 50));
  assert.equal(second.stats().replayed, 50);
  await eventually(() => second.stats().mode === 'direct', 'direct mode again');
  await second.close();
});

test('close() while Kafka refuses connections spools memory, and the next publisher delivers it exactly once', async (t) => {
  const dir = tempSpoolDir(t);
  const kafka = createFakeKafka('down');
  const first = await createRecordPublisher(options(kafka, dir, { batchMaxRecords: 4 }));
  for (let n = 1; n <= 30; n++) first.publish(message(n));
  await first.close({ graceMs: 100 });

  kafka.state = 'up';
  const second = await createRecordPublisher(options(kafka, dir, { batchMaxRecords: 4 }));
  assert.equal(await second.drained(5_000), true);
  assert.deepEqual(kafka.acked, expected(1, 30));
  await second.close();
});

test('records acknowledged before a restart are not replayed after it: the head is persisted', async (t) => {
  const dir = tempSpoolDir(t);
  const kafka = createFakeKafka('down');
  const first = await createRecordPublisher(options(kafka, dir, { queueMaxRecords: 5, batchMaxRecords: 4 }));
  for (let n = 1; n <= 30; n++) first.publish(message(n));
  await first.close({ graceMs: 100 });
  assert.equal(first.stats().spoolRecords, 30);

  // Kafka takes 12 records, then goes down again.
  kafka.state = 'up';
  kafka.decide = () => (kafka.acked.length >= 12 ? 'down' : 'up');
  const second = await createRecordPublisher(options(kafka, dir, { batchMaxRecords: 4 }));
  await eventually(() => second.stats().published === 12, '12 acknowledged');
  await second.close({ graceMs: 100 });
  assert.equal(second.stats().spoolRecords, 18);

  kafka.decide = undefined;
  const third = await createRecordPublisher(options(kafka, dir, { batchMaxRecords: 4 }));
  assert.equal(third.stats().spoolRecords, 18);
  assert.equal(await third.drained(5_000), true);
  assert.deepEqual(kafka.acked, expected(1, 30));
  await third.close();
});

test('a batch whose first topic was acknowledged and second was not does not resend the first topic after a restart', async (t) => {
  const dir = tempSpoolDir(t);
  const kafka = createFakeKafka('down');
  const topicOf = (n: number): string => (n % 2 === 0 ? 'access_requests' : 'http_requests');
  const first = await createRecordPublisher(options(kafka, dir, { queueMaxRecords: 2 }));
  for (let n = 1; n <= 10; n++) first.publish(message(n, topicOf(n)));
  await first.close({ graceMs: 100 });

  kafka.state = 'up';
  kafka.decide = (topic) => (topic === 'access_requests' ? 'down' : 'up');
  const second = await createRecordPublisher(options(kafka, dir, { batchMaxRecords: 10 }));
  await eventually(() => second.stats().published === 5, 'the http_requests half acknowledged');
  await second.close({ graceMs: 100 });

  kafka.decide = undefined;
  const third = await createRecordPublisher(options(kafka, dir, { batchMaxRecords: 10 }));
  assert.equal(await third.drained(5_000), true);
  const odd = [1, 3, 5, 7, 9].map((n) => `http_requests:r${n}`);
  const even = [2, 4, 6, 8, 10].map((n) => `access_requests:r${n}`);
  assert.deepEqual(kafka.acked, [...odd, ...even]);
  await third.close();
});

test('a publisher opened on a spool with a damaged entry reports the damage, logs where it is, and replays the rest in order', async (t) => {
  const dir = tempSpoolDir(t);
  const kafka = createFakeKafka('down');
  const first = await createRecordPublisher(options(kafka, dir, { queueMaxRecords: 1 }));
  for (let n = 1; n <= 6; n++) first.publish(message(n));
  await first.close({ graceMs: 100 });
  const [segment] = readdirSync(dir).filter((f) => f.endsWith('.seg'));
  const bytes = readFileSync(join(dir, segment));
  const third = bytes.indexOf('r3'); // inside the third record's payload
  bytes[third] = 0;
  writeFileSync(join(dir, segment), bytes);

  kafka.state = 'up';
  const { logger, lines } = capturingLogger();
  const second = await createRecordPublisher({ ...options(kafka, dir), logger });
  assert.equal(second.stats().spoolDamage.corruptRegions, 1);
  assert.ok(lines.some((l) => l.level === 'error' && l['segment'] === segment && typeof l['offset'] === 'number'));
  assert.equal(await second.drained(5_000), true);
  assert.deepEqual(kafka.acked, ['http_requests:r1', 'http_requests:r2', 'http_requests:r4', 'http_requests:r5', 'http_requests:r6']);
  await second.close();
});
