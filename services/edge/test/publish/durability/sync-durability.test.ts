import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRecordPublisher } from '../../../src/publish/record-publisher.js';
import type { RecordPublisherOptions } from '../../../src/publish/record-publisher.js';
import { capturingLogger, createFakeKafka, expected, message, tempSpoolDir } from '../publish-fixtures.js';
import type { FakeKafka } from '../publish-fixtures.js';

function options(kafka: FakeKafka, spoolDir: string, extra: Partial<RecordPublisherOptions> = {}): RecordPublisherOptions {
  return { connect: kafka.connect, spoolDir, logger: capturingLogger().logger, lingerMs: 1, retryDelayMs: { initial: 1, max: 5 }, durability: 'sync', ...extra };
}

/** Every byte of the spool's segment files: what a kill -9 leaves for the restart. */
const onDisk = (dir: string): string => readdirSync(dir).filter((f) => f.endsWith('.seg')).map((f) => readFileSync(join(dir, f), 'latin1')).join('');

test('sync: a record counts as stored once it is on disk, while Kafka is down', async (t) => {
  const kafka = createFakeKafka('down');
  const dir = tempSpoolDir(t);
  const publisher = await createRecordPublisher(options(kafka, dir, { sendTimeoutMs: 100 }));
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => publisher.publishDurably!(message(i + 1))));
  assert.deepEqual(answers, Array.from({ length: 50 }, () => true));
  const disk = onDisk(dir);
  for (let n = 1; n <= 50; n++) assert.ok(disk.includes(`ray-${n}`), `ray-${n} on disk before its answer`);
  assert.equal(kafka.acked.length, 0);
  await publisher.close({ graceMs: 200 });
});

test('sync: stored records reach Kafka through the spool, in order, and the publisher drains', async (t) => {
  const kafka = createFakeKafka('up');
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t)));
  for (let round = 0; round < 5; round++) {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => publisher.publishDurably!(message(round * 40 + i + 1))));
    assert.ok(answers.every(Boolean));
  }
  assert.equal(await publisher.drained(5_000), true);
  assert.deepEqual(kafka.acked, expected(1, 200));
  assert.equal(publisher.stats().dropped, 0);
  await publisher.close();
});

test('sync: a record the spool cannot take is answered false', async (t) => {
  const kafka = createFakeKafka('down');
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { spoolMaxBytes: 4096, sendTimeoutMs: 100 }));
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => publisher.publishDurably!(message(i + 1))));
  assert.equal(answers[0], true);
  assert.equal(answers.at(-1), false);
  assert.equal(answers.filter((a) => !a).length, publisher.stats().dropped);
  await publisher.close({ graceMs: 200 });
});
