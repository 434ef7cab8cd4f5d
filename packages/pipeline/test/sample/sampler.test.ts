import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampler, sampleHash } from '../../src/sample/sampler.js';

test('a rate of 1 keeps everything without a sampling stage', () => {
  assert.equal(createSampler(1, 7), undefined);
});

test('the same seed and position always give the same decision, so replays keep the same records', () => {
  const a = createSampler(0.3, 42);
  const b = createSampler(0.3, 42);
  assert.ok(a && b);
  for (let offset = 0; offset < 2000; offset++) assert.equal(a(offset % 6, offset), b(offset % 6, offset));
});

test('different seeds keep different subsets', () => {
  const a = createSampler(0.5, 1);
  const b = createSampler(0.5, 2);
  assert.ok(a && b);
  let differ = 0;
  for (let offset = 0; offset < 1000; offset++) if (a(0, offset) !== b(0, offset)) differ++;
  // Independent halves disagree about half the time.
  assert.ok(differ > 400 && differ < 600, `decisions differed ${differ} times in 1000`);
});

test('the kept fraction matches the rate over many records, within five standard deviations', () => {
  for (const rate of [0.01, 0.1, 0.5, 0.9]) {
    const sampler = createSampler(rate, 9);
    assert.ok(sampler);
    const n = 200_000;
    let kept = 0;
    for (let i = 0; i < n; i++) if (sampler(i % 6, Math.floor(i / 6))) kept++;
    const sigma = Math.sqrt(n * rate * (1 - rate));
    assert.ok(Math.abs(kept - n * rate) < 5 * sigma, `rate ${rate}: kept ${kept} of ${n}`);
  }
});

test('neighbouring offsets are not correlated: runs of kept records have the geometric lengths of independent draws', () => {
  const sampler = createSampler(0.5, 3);
  assert.ok(sampler);
  let changes = 0;
  let previous = sampler(0, 0);
  for (let offset = 1; offset < 100_000; offset++) {
    const current = sampler(0, offset);
    if (current !== previous) changes++;
    previous = current;
  }
  // Independent fair draws change value with probability 1/2 between neighbours.
  assert.ok(Math.abs(changes - 50_000) < 5 * Math.sqrt(100_000 * 0.25), `${changes} changes`);
});

test('offsets beyond 2^32 are hashed by their high bits too', () => {
  assert.notEqual(sampleHash(1, 0, 5), sampleHash(1, 0, 5 + 2 ** 32));
  assert.ok(sampleHash(1, 0, 2 ** 40) >= 0 && sampleHash(1, 0, 2 ** 40) < 2 ** 32);
});
