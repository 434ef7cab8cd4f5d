import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startThreadedPublisher } from '../../../src/publish/thread/threaded-publisher.js';
import type { ThreadedPublisherOptions } from '../../../src/publish/thread/threaded-publisher.js';
import type { RecordPublisher } from '../../../src/publish/record-publisher.js';
import { capturingLogger, eventually, expected, message, tempSpoolDir } from '../publish-fixtures.js';
import type { FakeKafkaState } from '../publish-fixtures.js';
import type { FakeKafkaThreadData } from './fake-kafka-thread.js';

const FAKE_KAFKA_THREAD = new URL('./fake-kafka-thread.js', import.meta.url);

interface Setup {
  readonly spoolDir: string;
  readonly ackFile: string;
  options(kafka: FakeKafkaState, extra?: Partial<ThreadedPublisherOptions>): ThreadedPublisherOptions;
  /** `topic:value` of what the fake Kafka acknowledged, in order, over every thread so far. */
  acked(): string[];
}

type TestContext = { after(fn: () => void | Promise<void>): void };

function setup(t: TestContext): Setup {
  const spoolDir = tempSpoolDir(t);
  const ackFile = join(tempSpoolDir(t), 'acked.txt');
  return {
    spoolDir,
    ackFile,
    options: (kafka, extra = {}) => ({
      worker: FAKE_KAFKA_THREAD,
      data: { spoolDir, ackFile, kafka } satisfies FakeKafkaThreadData,
      logger: capturingLogger().logger,
      restartDelayMs: 10,
      ...extra,
    }),
    acked: () => (existsSync(ackFile) ? readFileSync(ackFile, 'utf8').split('\n').filter(Boolean) : []),
  };
}

/** Starts a publisher that is closed when the test ends, passed or not: a thread left running would keep the test process alive. */
async function started(t: TestContext, options: ThreadedPublisherOptions): Promise<RecordPublisher> {
  const publisher = await startThreadedPublisher(options);
  t.after(() => publisher.close());
  return publisher;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('records published on the gateway thread reach Kafka from the publisher thread, once each and in order', async (t) => {
  const s = setup(t);
  const publisher = await started(t, s.options('up'));
  // Several turns of the event loop: each turn's records cross as one run.
  for (let n = 1; n <= 3_000; n++) {
    publisher.publish(message(n));
    if (n % 700 === 0) await turn();
  }
  assert.equal(await publisher.drained(10_000), true);
  assert.deepEqual(s.acked(), expected(1, 3_000));
  const stats = publisher.stats();
  assert.equal(stats.published, 3_000);
  assert.equal(stats.queued, 0);
  assert.equal(stats.dropped, 0);
  assert.equal(stats.mode, 'direct');
  await publisher.close();
});

test('records held for a publisher thread that is not taking them are bounded: beyond maxHandedOver they are dropped and counted', async (t) => {
  const s = setup(t);
  const publisher = await started(t, s.options('up', { maxHandedOver: 100 }));
  // In one turn nothing crosses, so the 101st record onwards finds the bound full.
  for (let n = 1; n <= 105; n++) publisher.publish(message(n));
  assert.equal(publisher.stats().dropped, 5);
  assert.equal(publisher.stats().queued, 100);
  assert.equal(await publisher.drained(10_000), true);
  assert.deepEqual(s.acked(), expected(1, 100));
  await publisher.close();
});

test('a publisher thread whose spool cannot be opened fails the start with PUBLISH_SPOOL_UNAVAILABLE', async (t) => {
  const s = setup(t);
  const notADirectory = join(s.spoolDir, 'a-file');
  writeFileSync(notADirectory, 'in the way');
  await assert.rejects(
    startThreadedPublisher({ ...s.options('up'), data: { spoolDir: notADirectory, ackFile: s.ackFile, kafka: 'up' } satisfies FakeKafkaThreadData }),
    (error: Error & { code?: string }) => error.code === 'PUBLISH_SPOOL_UNAVAILABLE' && error.message.includes(notADirectory),
  );
});

test('close hands every record to the thread, which spools what Kafka did not take; the next start replays it', async (t) => {
  const s = setup(t);
  const first = await started(t, s.options('down'));
  for (let n = 1; n <= 50; n++) first.publish(message(n));
  await first.close({ graceMs: 200 });
  assert.deepEqual(s.acked(), []);
  assert.equal(first.stats().dropped, 0);
  assert.equal(first.stats().spoolRecords, 50);
  // Published after close: refused and counted, never thrown.
  assert.doesNotThrow(() => first.publish(message(51)));
  assert.equal(first.stats().dropped, 1);

  const second = await started(t, s.options('up'));
  assert.equal(await second.drained(10_000), true);
  assert.deepEqual(s.acked(), expected(1, 50));
  assert.equal(second.stats().replayed, 50);
  await second.close();
});

test('a publisher thread that dies is replaced on the same spool: what it had not taken is counted as dropped, and later records are delivered', async (t) => {
  const s = setup(t);
  const { logger, lines } = capturingLogger();
  const publisher = await started(t, { ...s.options('up'), logger });
  for (let n = 1; n <= 10; n++) publisher.publish(message(n));
  assert.equal(await publisher.drained(10_000), true);
  publisher.publish(message(0, 'die'));
  await eventually(() => lines.some((line) => line.msg.startsWith('the publisher thread died')), 'the thread to die');
  // Published while no thread runs: they wait, and the next thread takes them.
  for (let n = 11; n <= 20; n++) publisher.publish(message(n));
  await eventually(() => s.acked().length === 20, 'the records after the crash to be delivered', 10_000);
  assert.equal(await publisher.drained(10_000), true);
  assert.deepEqual(s.acked(), expected(1, 20));
  const stats = publisher.stats();
  assert.equal(stats.dropped, 1, 'the record the thread died on is counted');
  assert.equal(stats.published, 20, 'the dead thread\'s count is carried over');
  assert.ok(lines.some((line) => line.msg.startsWith('the publisher thread died') && line['lost'] === 1));
  await publisher.close();
});
