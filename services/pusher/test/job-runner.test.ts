import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeliveryResult } from '@sluice/destinations';
import { decodeCuts } from '../src/commit/batch-cuts.js';
import { createRunnerFixture, eventually, messages, message } from './support/runner-fixture.js';

test('records are delivered in batches cut by count and committed only after delivery', async () => {
  const f = createRunnerFixture();
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 12));
  await eventually(() => f.delivered.length === 2, 'two full batches are delivered');
  // Batches of one partition are delivered concurrently (up to the in-flight bound): compare them in offset order.
  assert.deepEqual(f.delivered.map((d) => d.suffix).sort(), ['job7-p0-o0', 'job7-p0-o5']);
  await eventually(() => f.consumer.group.get(0)?.offset === 10, 'the commit reaches the open batch');
  await f.runner.stop(1_000);
  assert.equal(f.consumer.group.get(0)?.offset, 12, 'the open batch is delivered and committed at stop');
  const inOrder = [...f.delivered].sort((a, b) => (a.offsets[0] ?? 0) - (b.offsets[0] ?? 0));
  assert.deepEqual(inOrder.flatMap((d) => d.rayIds), messages(0, 12).map((_, i) => `ray-${i}`));
});

test('a delivery that ends after its partition moved to another member never commits', async () => {
  const f = createRunnerFixture();
  let release: ((result: DeliveryResult) => void) | undefined;
  f.script(() => new Promise<DeliveryResult>((resolve) => (release = resolve)));
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 5));
  await eventually(() => release !== undefined, 'the batch is in delivery');
  f.consumer.rebalance();
  f.consumer.assign([1]);
  release?.({ status: 'delivered', location: 'late' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await f.runner.stop(100);
  assert.equal(f.consumer.group.has(0), false, `no commit for partition 0: ${JSON.stringify(f.consumer.commits)}`);
});

test('a commit queued before a rebalance is not sent in the next generation, where the partition is another member’s', async () => {
  const f = createRunnerFixture();
  await f.runner.start();
  f.consumer.assign([0]);
  const release = f.consumer.holdCommits();
  await f.consumer.fetch(0, messages(0, 5));
  await f.consumer.fetch(0, messages(5, 5));
  await eventually(() => f.delivered.length === 2, 'both batches are delivered, their commits queued behind a slow one');
  f.consumer.rebalance();
  f.consumer.assign([1]);
  f.consumer.group.set(0, { offset: 7, metadata: null }); // the new owner's progress
  release();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await f.runner.stop(100);
  assert.deepEqual(f.consumer.commits.flat().filter((c) => c.partition === 0), [], 'nothing of partition 0 was sent after it moved');
  assert.equal(f.consumer.group.get(0)?.offset, 7);
});

test('a destination that throws is a retryable failure with a code, shown in health, and the partition goes on', async () => {
  const f = createRunnerFixture();
  f.script((_batch, _signal, attempt) => {
    if (attempt <= 2) throw new Error('cannot parse reply <html>');
    return { status: 'delivered', location: 'ok' };
  });
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 5));
  await eventually(() => f.delivered.length === 1, 'the batch is delivered after the throws');
  assert.equal(f.runner.status().retries_by_code.DESTINATION_THREW, 2);
  await eventually(() => f.consumer.group.get(0)?.offset === 5, 'the partition commits');
  await f.consumer.fetch(0, messages(5, 5));
  await eventually(() => f.consumer.group.get(0)?.offset === 10, 'later batches commit too');
  await f.runner.stop(100);
});

test('an error_message names a destination that keeps throwing', async () => {
  const f = createRunnerFixture();
  f.script(() => {
    throw new Error('boom');
  });
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 5));
  await eventually(() => (f.runner.status().error_message ?? '').startsWith('DESTINATION_THREW'), 'the failure shows');
  await f.runner.stop(50);
  assert.equal(f.consumer.group.has(0), false, 'nothing undelivered is committed');
});

test('an undecodable record is dead-lettered; a dead-letter outage shows in health and holds the commit until written', async () => {
  const f = createRunnerFixture();
  f.failDeadLetters(3);
  await f.runner.start();
  f.consumer.assign([0]);
  const bad = { ...message(2), value: Buffer.from('{not json') };
  const fetch = f.consumer.fetch(0, [message(0), message(1), bad, message(3)]);
  await eventually(() => (f.runner.status().error_message ?? '').startsWith('DEAD_LETTER_BROKER_NOT_AVAILABLE'), 'the outage shows');
  await fetch;
  assert.equal(f.deadLetters.length, 1);
  assert.equal(f.deadLetters[0]?.[0]?.headers?.['sluice-dlq-offset'], '2');
  await f.runner.stop(1_000);
  assert.equal(f.consumer.group.get(0)?.offset, 4);
  assert.deepEqual(f.delivered.flatMap((d) => d.rayIds), ['ray-0', 'ray-1', 'ray-3']);
});

test('stop is bounded while a delivery hangs and the dead-letter topic is down, and commits nothing undelivered', async () => {
  const f = createRunnerFixture();
  f.script((_batch, signal) => new Promise<DeliveryResult>((resolve) => signal.addEventListener('abort', () => resolve({ status: 'retryable', code: 'ABORTED', message: 'aborted' }))));
  f.failDeadLetters(Infinity);
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 5));
  const bad = { ...message(5), value: Buffer.from('{not json') };
  void f.consumer.fetch(0, [bad, message(6)]);
  await eventually(() => f.runner.status().batches_in_flight === 1, 'the batch hangs in delivery');
  const started = Date.now();
  await f.runner.stop(50);
  assert.ok(Date.now() - started < 2_000, 'stop returned');
  assert.equal(f.consumer.group.has(0), false);
});

test('a consumer crash shows in health and counts a restart', async () => {
  const f = createRunnerFixture();
  await f.runner.start();
  f.consumer.assign([0]);
  f.consumer.crash(Object.assign(new Error('offset out of range'), { type: 'OFFSET_OUT_OF_RANGE' }), 2_000);
  const status = f.runner.status();
  assert.equal(status.consumer_restarts, 1);
  assert.match(status.error_message ?? '', /^CONSUMER_OFFSET_OUT_OF_RANGE: .*restarting in 2 s/);
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 5));
  await eventually(() => f.consumer.group.get(0)?.offset === 5, 'the job reads again after the restart');
  await f.runner.stop(100);
});

test('age is cut on record time: the same records give the same batches however fast they are read', async () => {
  const times = (offset: number): number => 1_700_000_000_000 + (offset < 3 ? 0 : 31_000);
  const cuts: string[][] = [];
  for (const split of [[7], [1, 1, 1, 1, 1, 1, 1], [2, 5]]) {
    const f = createRunnerFixture({ job: { maxUploadRecords: 100 } });
    await f.runner.start();
    f.consumer.assign([0]);
    let from = 0;
    for (const count of split) {
      await f.consumer.fetch(0, messages(from, count, times));
      from += count;
    }
    await f.runner.stop(1_000);
    cuts.push(f.delivered.map((d) => `${d.suffix}:${d.rayIds.length}`).sort());
  }
  assert.deepEqual(cuts[0], ['job7-p0-o0:3', 'job7-p0-o3:4']);
  assert.deepEqual(cuts[1], cuts[0]);
  assert.deepEqual(cuts[2], cuts[0]);
});

test('an idle flush is recorded in the commit before the batch is delivered, and a replay cuts the batch at the same record', async () => {
  const f = createRunnerFixture({ job: { maxUploadRecords: 100 }, deps: { tickMs: 5 } });
  const metadataAtDelivery: (string | null)[] = [];
  f.script(() => {
    metadataAtDelivery.push(f.consumer.group.get(0)?.metadata ?? null);
    return new Promise<DeliveryResult>(() => undefined); // uploaded, never acknowledged: the worker dies here
  });
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 3));
  f.clock.now += 30_000;
  await eventually(() => metadataAtDelivery.length === 1, 'the idle batch goes out');
  assert.deepEqual(decodeCuts(metadataAtDelivery[0]), [{ from: 0, to: 2 }], 'the cut was durable first');
  assert.equal(f.consumer.group.get(0)?.offset, 0);
  await f.runner.stop(10, 'abandon');

  // The next owner reads the same records plus more that arrived meanwhile.
  const next = createRunnerFixture({ job: { maxUploadRecords: 100 }, consumer: f.consumer });
  await next.runner.start();
  next.consumer.assign([0]);
  await next.consumer.fetch(0, messages(0, 6));
  await next.runner.stop(1_000);
  const batches = next.delivered.map((d) => `${d.suffix}:${d.rayIds.join(',')}`).sort();
  assert.deepEqual(batches, ['job7-p0-o0:ray-0,ray-1,ray-2', 'job7-p0-o3:ray-3,ray-4,ray-5']);
  assert.equal(next.consumer.group.get(0)?.offset, 6);
  assert.deepEqual(decodeCuts(next.consumer.group.get(0)?.metadata), [], 'cuts behind the commit are dropped');
});

test('a cut that cannot be recorded is never delivered', async () => {
  const f = createRunnerFixture({ job: { maxUploadRecords: 100 }, deps: { tickMs: 5 } });
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 3));
  f.consumer.rebalance();
  f.clock.now += 30_000;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(f.delivered.length, 0);
  await f.runner.stop(10, 'abandon');
});

test('a batch cut after an idle flush goes out only once that flush is recorded, and never when it cannot be', async () => {
  // Offsets 0–2 are flushed by the clock; 3–5 are then cut on record time by offset 6, 31 s later.
  const times = (offset: number): number => 1_700_000_000_000 + (offset < 6 ? 0 : 31_000);
  for (const ending of ['recorded', 'generation over'] as const) {
    const f = createRunnerFixture({ job: { maxUploadRecords: 100 }, deps: { tickMs: 5 } });
    const cutsAtDelivery = new Map<string, string>();
    f.script((batch) => {
      cutsAtDelivery.set(batch.suffix, f.consumer.group.get(0)?.metadata ?? '');
      return { status: 'delivered', location: 'ok' };
    });
    await f.runner.start();
    f.consumer.assign([0]);
    const release = f.consumer.holdCommits();
    await f.consumer.fetch(0, messages(0, 3, times));
    f.clock.now += 30_000;
    await eventually(() => f.runner.status().batches_in_flight === 1, 'the idle batch is sealed, its cut waiting to be recorded');
    await f.consumer.fetch(0, messages(3, 4, times));
    await eventually(() => f.runner.status().batches_in_flight === 2, 'the record-time batch is sealed');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(f.delivered, [], `${ending}: nothing goes out while the idle cut is not durable`);
    if (ending === 'generation over') {
      f.consumer.rebalance();
      f.consumer.assign([1]);
      release();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(f.delivered, [], 'the cut was never recorded: a replay cuts elsewhere, so neither batch may be stored');
    } else {
      release();
      await eventually(() => f.delivered.length === 2, 'both batches go out once the cut is recorded');
      assert.deepEqual(decodeCuts(cutsAtDelivery.get('job7-p0-o3')), [{ from: 0, to: 2 }], 'the idle cut was durable before the batch after it went out');
    }
    await f.runner.stop(10, 'abandon');
  }
});

test('the worker memory budget seals batches early and counts it', async () => {
  const { createMemoryBudget } = await import('../src/memory/memory-budget.js');
  const f = createRunnerFixture({ job: { maxUploadRecords: 100_000 }, deps: { memoryBudget: createMemoryBudget(8 * 1024) } });
  await f.runner.start();
  f.consumer.assign([0]);
  // Past the partition's end as first fetched: records no earlier owner can have read, so memory may cut them.
  await f.consumer.fetch(0, messages(0, 10));
  await f.consumer.fetch(0, messages(10, 1_990));
  await f.runner.stop(2_000);
  assert.ok(f.runner.status().batches_sealed_for_memory > 0, 'sealed for memory');
  assert.ok(f.delivered.length > 1, `several batches: ${f.delivered.length}`);
  assert.equal(f.delivered.reduce((n, d) => n + d.rayIds.length, 0), 2_000);
  assert.equal(f.consumer.group.get(0)?.offset, 2_000);
});

test('a job still waiting for its first partitions is not idle for up to 10 s, and a rebalance counts as activity', async () => {
  const f = createRunnerFixture();
  const startedAt = f.clock.now;
  await f.runner.start();
  assert.equal(f.runner.lastActivityMs(), startedAt + 10_000, 'no partition yet: busy until the siblings have had their time to gather');
  f.clock.now += 4_000;
  f.consumer.assign([]);
  assert.equal(f.runner.lastActivityMs(), startedAt + 10_000, 'an empty assignment (a sibling still joining) leaves it waiting');
  f.clock.now += 16_000;
  f.consumer.assign([0]);
  assert.equal(f.runner.lastActivityMs(), startedAt + 20_000, 'partitions came: idleness counts from them');
  f.clock.now += 5_000;
  assert.equal(f.runner.lastActivityMs(), startedAt + 20_000);
  await f.runner.stop(10, 'abandon');
});
