import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { allocateJobId } from '../src/job-id-allocator.js';
import type { IdClaimLog } from '../src/job-id-allocator.js';

/** A single partition shared by every writer: each append gets the next offsets, after a random delay either side. */
function sharedLog(): IdClaimLog & { end(): number } {
  let end = 0;
  return {
    end: () => end,
    async append(count) {
      await sleep(Math.random() * 3);
      const last = end + count - 1;
      end += count;
      await sleep(Math.random() * 3);
      return last;
    },
  };
}

void test('two replicas allocating concurrently from one log never get the same id, and each sees its ids increase', async () => {
  const log = sharedLog();
  const replica = async (): Promise<number[]> => {
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await allocateJobId(log, () => 0));
    return ids;
  };
  const [a, b] = await Promise.all([replica(), replica()]);
  assert.equal(new Set([...a, ...b]).size, 80);
  for (const ids of [a, b]) assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
  assert.ok([...a, ...b].every((id) => id >= 1));
});

void test('an id allocated after another was returned is larger, whichever replica asks', async () => {
  const log = sharedLog();
  const first = await allocateJobId(log, () => 0);
  const second = await allocateJobId(log, () => 0);
  assert.ok(second > first);
});

void test('ids skip past jobs that already exist with explicit ids, in chunks, still owning the offset they use', async () => {
  const log = sharedLog();
  const appends: number[] = [];
  const counting: IdClaimLog = { append: (count) => (appends.push(count), log.append(count)) };
  const id = await allocateJobId(counting, () => 250, { skipChunk: 100 });
  assert.equal(id, 251);
  assert.deepEqual(appends, [1, 100, 100, 50]);
  assert.equal(log.end(), 251, 'the id is one past the last offset this allocation wrote');
});

void test('concurrent replicas skipping past the same existing ids still get different ids above them', async () => {
  const log = sharedLog();
  const ids = await Promise.all(Array.from({ length: 6 }, () => allocateJobId(log, () => 1_000, { skipChunk: 300 })));
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => id > 1_000), ids.join(','));
});

void test('a gap larger than allowed is refused with JOB_ID_GAP_TOO_LARGE rather than written', async () => {
  const log = sharedLog();
  await assert.rejects(allocateJobId(log, () => 5_000_000, { maxSkip: 1_000 }), { code: 'JOB_ID_GAP_TOO_LARGE', retriable: false });
  assert.equal(log.end(), 1, 'only the claim itself was written');
});
