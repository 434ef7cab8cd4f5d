import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retryLoop } from '../../src/retry/retry-loop.js';

const policy = { initialDelayMs: 100, maxDelayMs: 400, multiplier: 2, maxAttempts: Infinity };

test('waits grow with full jitter under the cap until the work succeeds', async () => {
  const waits: number[] = [];
  let calls = 0;
  const outcome = await retryLoop(
    () => (++calls < 5 ? Promise.reject(new Error('no')) : Promise.resolve('yes')),
    { policy, signal: new AbortController().signal, random: () => 0.999, sleep: (ms) => (waits.push(ms), Promise.resolve()) },
  );
  assert.deepEqual(outcome, { ok: true, value: 'yes' });
  assert.deepEqual(waits, [99, 199, 399, 399]);
});

test('a bounded policy gives up with the last error', async () => {
  const outcome = await retryLoop(() => Promise.reject(new Error('down')), { policy: { ...policy, maxAttempts: 3 }, signal: new AbortController().signal, sleep: () => Promise.resolve() });
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok && !outcome.aborted && (outcome.error as Error).message === 'down');
});

test('an abort ends it, and says so', async () => {
  const abort = new AbortController();
  const outcome = await retryLoop(() => Promise.reject(new Error('down')), { policy, signal: abort.signal, sleep: () => (abort.abort(), Promise.resolve()) });
  assert.ok(!outcome.ok && outcome.aborted);
});
