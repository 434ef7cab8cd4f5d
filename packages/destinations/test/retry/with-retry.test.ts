import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRetry } from '../../src/retry/with-retry.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../../src/retry/retry-policy.js';
import type { DeliveryBatch, DeliveryResult, Destination } from '../../src/destination.js';

const batch: DeliveryBatch = { body: Buffer.alloc(0), records: 0, uncompressedBytes: 0, startTimeMs: 0, endTimeMs: 0, suffix: 's' };

function scripted(results: DeliveryResult[]): Destination & { calls: number } {
  const d = {
    kind: 'fake',
    description: 'fake',
    calls: 0,
    deliver(): Promise<DeliveryResult> {
      const r = results[Math.min(d.calls, results.length - 1)];
      d.calls++;
      return Promise.resolve(r);
    },
    close: () => Promise.resolve(),
  };
  return d;
}

test('retryable failures are retried until the batch is delivered', async () => {
  const inner = scripted([
    { status: 'retryable', code: 'HTTP_503', message: 'busy' },
    { status: 'retryable', code: 'HTTP_503', message: 'busy' },
    { status: 'delivered', location: 'x' },
  ]);
  const waits: number[] = [];
  const result = await withRetry(inner, { sleep: (ms) => (waits.push(ms), Promise.resolve()), random: () => 0.5 }).deliver(batch, new AbortController().signal);
  assert.deepEqual(result, { status: 'delivered', location: 'x' });
  assert.equal(inner.calls, 3);
  assert.deepEqual(waits, [250, 500]);
});

test('a rejection is returned at once, without retrying', async () => {
  const inner = scripted([{ status: 'rejected', code: 'S3_AccessDenied', message: 'no' }]);
  const result = await withRetry(inner, { sleep: () => Promise.resolve() }).deliver(batch, new AbortController().signal);
  assert.equal(result.status, 'rejected');
  assert.equal(inner.calls, 1);
});

test('Retry-After decides the wait, within the cap', async () => {
  const inner = scripted([
    { status: 'retryable', code: 'HTTP_429', message: 'slow down', retryAfterMs: 4000 },
    { status: 'retryable', code: 'HTTP_429', message: 'slow down', retryAfterMs: 10 * 60_000 },
    { status: 'delivered', location: 'x' },
  ]);
  const waits: number[] = [];
  await withRetry(inner, { sleep: (ms) => (waits.push(ms), Promise.resolve()) }).deliver(batch, new AbortController().signal);
  assert.deepEqual(waits, [4000, DEFAULT_RETRY_POLICY.maxDelayMs]);
});

test('aborting stops the retries and returns the last failure', async () => {
  const inner = scripted([{ status: 'retryable', code: 'HTTP_503', message: 'busy' }]);
  const controller = new AbortController();
  const result = await withRetry(inner, {
    sleep: () => {
      controller.abort();
      return Promise.resolve();
    },
  }).deliver(batch, controller.signal);
  assert.equal(result.status, 'retryable');
  assert.equal(inner.calls, 1);
});

test('backoff grows exponentially, is jittered below its ceiling and capped', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, maxAttempts: Infinity };
  assert.equal(backoffDelayMs(1, policy, () => 0.999), 99);
  assert.equal(backoffDelayMs(3, policy, () => 0.999), 399);
  assert.equal(backoffDelayMs(10, policy, () => 0.999), 999);
  assert.equal(backoffDelayMs(10, policy, () => 0), 0);
});

/** A destination with all four methods, each answering from its own script and counting its calls. */
function complete(script: DeliveryResult[]): Destination & { calls: string[] } {
  const calls: string[] = [];
  const next = (method: string): Promise<DeliveryResult> => {
    calls.push(method);
    return Promise.resolve(script[Math.min(calls.length - 1, script.length - 1)] ?? { status: 'delivered', location: 'x' });
  };
  return {
    kind: 'fake',
    description: 'fake',
    calls,
    deliver: () => next('deliver'),
    validate: () => next('validate'),
    writeChallenge: () => next('writeChallenge'),
    close: () => Promise.resolve(),
  };
}

const BUSY: DeliveryResult = { status: 'retryable', code: 'HTTP_503', message: 'busy', retryAfterMs: 1000 };

test('validate and writeChallenge are kept, and retried under the same policy', async () => {
  const waits: number[] = [];
  const sleep = (ms: number): Promise<void> => (waits.push(ms), Promise.resolve());
  const validating = complete([BUSY, { status: 'delivered', location: 'v' }]);
  const validated = await withRetry(validating, { sleep }).validate?.(Buffer.from('x'), new AbortController().signal);
  const challenged = complete([BUSY, BUSY, { status: 'delivered', location: 'c' }]);
  const written = await withRetry(challenged, { sleep }).writeChallenge?.('ownership-challenge-1.txt', 'token', new AbortController().signal);
  assert.deepEqual(validated, { status: 'delivered', location: 'v' });
  assert.deepEqual(written, { status: 'delivered', location: 'c' });
  assert.deepEqual(validating.calls, ['validate', 'validate']);
  assert.deepEqual(challenged.calls, ['writeChallenge', 'writeChallenge', 'writeChallenge']);
  assert.deepEqual(waits, [1000, 1000, 1000]);
});

test('validate and writeChallenge give up after maxAttempts, and stop when the signal aborts', async () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 };
  const inner = complete([BUSY]);
  const limited = await withRetry(inner, { policy, sleep: () => Promise.resolve() }).validate?.(Buffer.from('x'), new AbortController().signal);
  assert.equal(limited?.status, 'retryable');
  assert.deepEqual(inner.calls, ['validate', 'validate']);

  const controller = new AbortController();
  const aborting = complete([BUSY]);
  const stopped = await withRetry(aborting, { sleep: () => (controller.abort(), Promise.resolve()) }).writeChallenge?.('k', 'c', controller.signal);
  assert.equal(stopped?.status, 'retryable');
  assert.deepEqual(aborting.calls, ['writeChallenge']);
});

test('a destination without validate or writeChallenge is wrapped without them, so callers still see they are absent', () => {
  const wrapped = withRetry(scripted([{ status: 'delivered', location: 'x' }]));
  assert.ok(!('validate' in wrapped) && !('writeChallenge' in wrapped));
});
