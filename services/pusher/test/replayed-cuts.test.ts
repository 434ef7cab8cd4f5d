// A partition read again after its owner died: batches whose cut the last owner recorded end exactly there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCuts, decodeCuts } from '../src/commit/batch-cuts.js';
import { createMemoryBudget } from '../src/memory/memory-budget.js';
import { createRunnerFixture, eventually, messages } from './support/runner-fixture.js';
import type { RunnerFixture } from './support/runner-fixture.js';

/** The last owner sealed offsets 0–5 on the clock and recorded the cut, then died before committing past it. */
function replayOf(options: Parameters<typeof createRunnerFixture>[0] = {}): RunnerFixture {
  const f = createRunnerFixture({ job: { maxUploadRecords: 100 }, deps: { tickMs: 5 }, ...options });
  f.consumer.group.set(0, { offset: 0, metadata: encodeCuts([{ from: 0, to: 5 }]) });
  return f;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 40));

test('the clock never cuts a replayed batch before its recorded end, however slowly its records come back', async () => {
  const f = replayOf();
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 3));
  f.clock.now += 30_000;
  await settle();
  assert.equal(f.delivered.length, 0, 'offsets 0–2 stay open past the job\'s age: an object of them would be named apart from the first one');
  await f.consumer.fetch(0, messages(3, 5));
  await eventually(() => f.delivered.length === 1, 'the replayed batch goes out at its recorded end');
  assert.deepEqual(f.delivered[0]?.rayIds, messages(0, 6).map((_, i) => `ray-${i}`));
  await f.runner.stop(1_000);
  const batches = f.delivered.map((d) => `${d.suffix}:${d.rayIds.length}`).sort();
  assert.deepEqual(batches, ['job7-p0-o0:6', 'job7-p0-o6:2']);
  assert.equal(f.consumer.group.get(0)?.offset, 8);
});

test('a stop before a replayed batch reaches its recorded end leaves it, and its cut, to the next owner', async () => {
  const f = replayOf();
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 3));
  await f.runner.stop(1_000);
  assert.equal(f.delivered.length, 0, 'nothing is stored under a name the next owner would not give it');
  assert.equal(f.consumer.group.get(0)?.offset, 0);
  assert.deepEqual(decodeCuts(f.consumer.group.get(0)?.metadata), [{ from: 0, to: 5 }]);
});

test('a spent memory budget neither cuts a replayed batch short nor stops the reading that ends it', async () => {
  const f = createRunnerFixture({ job: { maxUploadRecords: 100_000 }, deps: { memoryBudget: createMemoryBudget(1024) } });
  f.consumer.group.set(0, { offset: 0, metadata: encodeCuts([{ from: 0, to: 1_499 }]) });
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 1_000));
  await f.consumer.fetch(0, messages(1_000, 500));
  await eventually(() => f.delivered.length === 1, 'the replayed batch reaches its recorded end and goes out');
  assert.equal(f.delivered[0]?.suffix, 'job7-p0-o0');
  assert.equal(f.delivered[0]?.rayIds.length, 1_500);
  await f.runner.stop(1_000);
  assert.equal(f.consumer.group.get(0)?.offset, 1_500);
});

/** The last owner read offsets 0–7, stored 0–4 (cut by count, at 5) and died before committing: the group is at 0. */
function countReplay(options: Parameters<typeof createRunnerFixture>[0] = {}): RunnerFixture {
  const f = createRunnerFixture({ job: { maxUploadRecords: 5 }, deps: { tickMs: 5 }, ...options });
  f.consumer.group.set(0, { offset: 0, metadata: null });
  return f;
}

test('records an earlier owner may have read are cut only where the records cut them, until the partition\'s first end is passed', async () => {
  const f = countReplay();
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 3), 8);
  f.clock.now += 60_000;
  await settle();
  assert.equal(f.delivered.length, 0, 'an idle cut at offset 2 would store 0–2 beside the last owner\'s 0–4');
  await f.consumer.fetch(0, messages(3, 5), 8);
  await eventually(() => f.delivered.length === 1, 'the count cut');
  f.clock.now += 60_000;
  await eventually(() => f.delivered.length === 2, 'the count cut, then the idle cut of the tail once the partition\'s end is reached');
  const batches = f.delivered.map((d) => `${d.suffix}:${d.rayIds.length}`).sort();
  assert.deepEqual(batches, ['job7-p0-o0:5', 'job7-p0-o5:3'], 'the first object is the one the last owner stored, under the same name');
  await f.runner.stop(1_000);
  assert.equal(f.consumer.group.get(0)?.offset, 8);
});

test('a stop while records an earlier owner may have read are still open leaves them to the next owner', async () => {
  const f = countReplay();
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 3), 8);
  await f.runner.stop(1_000);
  assert.equal(f.delivered.length, 0);
  assert.equal(f.consumer.group.get(0)?.offset, 0, 'offsets 0–2 are read again by whoever comes next');
});

test('a spent memory budget does not cut records an earlier owner may have read', async () => {
  const f = createRunnerFixture({ job: { maxUploadRecords: 1_000 }, deps: { memoryBudget: createMemoryBudget(1024) } });
  await f.runner.start();
  f.consumer.assign([0]);
  await f.consumer.fetch(0, messages(0, 600), 1_000);
  await f.consumer.fetch(0, messages(600, 400), 1_000);
  await eventually(() => f.delivered.length === 1, 'the batch is cut by count, as any earlier owner cut it');
  assert.deepEqual([f.delivered[0]?.suffix, f.delivered[0]?.rayIds.length], ['job7-p0-o0', 1_000]);
  assert.equal(f.runner.status().batches_sealed_for_memory, 0);
  await f.runner.stop(1_000);
});
