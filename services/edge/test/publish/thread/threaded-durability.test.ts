import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordPublisher } from '../../../src/publish/record-publisher.js';
import { startThreadedPublisher } from '../../../src/publish/thread/threaded-publisher.js';
import { capturingLogger, expected, message, tempSpoolDir } from '../publish-fixtures.js';
import type { FakeKafkaThreadData } from './fake-kafka-thread.js';

const FAKE_KAFKA_THREAD = new URL('./fake-kafka-thread.js', import.meta.url);

/** A sync-mode publisher over the fake Kafka thread, closed when the test ends; the file its Kafka writes what it acknowledged to. */
async function startSync(t: { after(fn: () => unknown): void }): Promise<{ publisher: RecordPublisher; ackFile: string }> {
  const ackFile = join(tempSpoolDir(t), 'acked.txt');
  const data: FakeKafkaThreadData = { spoolDir: tempSpoolDir(t), ackFile, kafka: 'up', durability: 'sync' };
  const publisher = await startThreadedPublisher({ worker: FAKE_KAFKA_THREAD, data, durability: 'sync', logger: capturingLogger().logger, restartDelayMs: 10 });
  t.after(() => publisher.close());
  return { publisher, ackFile };
}

test('sync: publishDurably answers once the publisher thread stored each record, and they reach Kafka', async (t) => {
  const { publisher, ackFile } = await startSync(t);
  const answers = await Promise.all(Array.from({ length: 1_200 }, (_, i) => publisher.publishDurably!(message(i + 1))));
  assert.ok(answers.every(Boolean));
  assert.equal(await publisher.drained(10_000), true);
  assert.deepEqual(readFileSync(ackFile, 'utf8').split('\n').filter(Boolean), expected(1, 1_200));
});

test('sync: records whose publisher thread died before storing them are answered false, and later ones true', async (t) => {
  const { publisher, ackFile } = await startSync(t);
  // The thread's death and restart are seen through unref'd handles (a gateway's server keeps the process alive): this does, here.
  const alive = setInterval(() => undefined, 50);
  t.after(() => clearInterval(alive));
  assert.equal(await publisher.publishDurably!(message(1)), true);
  // The thread dies as this run arrives: neither record is known to be stored.
  const lost = [publisher.publishDurably!(message(2, 'die')), publisher.publishDurably!(message(3))];
  assert.deepEqual(await Promise.all(lost), [false, false]);
  assert.equal(await publisher.publishDurably!(message(4)), true);
  assert.equal(await publisher.drained(10_000), true);
  const acked = existsSync(ackFile) ? readFileSync(ackFile, 'utf8').split('\n').filter(Boolean) : [];
  // r1 may go twice: the thread can die between Kafka's acknowledgement and the spool's head save (this fake has no presence check).
  assert.deepEqual([...new Set(acked.filter((r) => r !== 'http_requests:r3'))], [...expected(1, 1), ...expected(4, 4)]);
});
