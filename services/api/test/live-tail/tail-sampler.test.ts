import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTailSampler } from '../../src/live-tail/tail-sampler.js';
import type { SampleState } from '../../src/live-tail/tail-sampler.js';

function sampler(max: number) {
  let now = 0;
  const changes: SampleState[] = [];
  const s = createTailSampler({ maxEventsPerSecond: max, now: () => now, onChange: (state) => changes.push(state) });
  const admitted = (n: number) => Array.from({ length: n }, () => s.admit()).filter(Boolean).length;
  return { s, changes, admitted, tick: (ms: number) => (now += ms) };
}

describe('createTailSampler', () => {
  test('sends every match while a second holds no more than the bound', () => {
    const { admitted, changes, tick } = sampler(10);
    assert.equal(admitted(10), 10);
    tick(1_000);
    assert.equal(admitted(7), 7);
    assert.deepEqual(changes, []);
  });

  test('cuts a burst at the bound within its second, then samples evenly at bound / last second’s matches', () => {
    const { s, admitted, changes, tick } = sampler(10);
    assert.equal(admitted(40), 10);
    tick(1_000);
    const pattern = Array.from({ length: 8 }, () => s.admit());
    assert.deepEqual(pattern, [true, false, false, false, true, false, false, false]);
    assert.deepEqual(changes, [{ sampleRate: 0.25, matchedPerSecond: 40 }]);
  });

  test('goes back to every match after a quiet second, and says so', () => {
    const { s, admitted, changes, tick } = sampler(5);
    admitted(50);
    tick(1_000);
    assert.equal(s.current().sampleRate, 0.1);
    tick(2_500);
    assert.deepEqual(s.current(), { sampleRate: 1, matchedPerSecond: 0 });
    assert.deepEqual(changes.map((c) => c.sampleRate), [0.1, 1]);
  });
});
