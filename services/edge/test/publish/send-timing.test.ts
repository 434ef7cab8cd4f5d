import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSendTiming, cumulativeBuckets, SEND_SECONDS_BUCKETS } from '../../src/publish/send-timing.js';

test('send timings fall in the first bucket whose bound they do not pass, and add up as Prometheus counts them', () => {
  const timing = createSendTiming();
  for (const seconds of [0.0004, 0.001, 0.003, 0.2, 45]) timing.observe(seconds);
  const snapshot = timing.snapshot();
  assert.equal(snapshot.count, 5);
  assert.ok(Math.abs(snapshot.sum - 45.2044) < 1e-9);
  const buckets = cumulativeBuckets(snapshot);
  assert.equal(buckets.length, SEND_SECONDS_BUCKETS.length + 1);
  const at = (le: string): number | undefined => buckets.find((b) => b.le === le)?.value;
  assert.equal(at('0.001'), 2, '0.4 ms and exactly 1 ms');
  assert.equal(at('0.005'), 3);
  assert.equal(at('0.25'), 4);
  assert.equal(at('30'), 4, 'a 45-s send passes every bound');
  assert.equal(at('+Inf'), 5);
});
