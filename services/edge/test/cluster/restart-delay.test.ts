import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRestartDelay, STABLE_AFTER_MS } from '../../src/cluster/restart-delay.js';

test('a worker that ran a while is replaced at once; one that keeps dying waits longer each time, up to a cap', () => {
  assert.equal(nextRestartDelay(undefined, 0), 500);
  assert.equal(nextRestartDelay(8_000, STABLE_AFTER_MS), 500);
  assert.equal(nextRestartDelay(500, 100), 1_000);
  assert.equal(nextRestartDelay(1_000, 100), 2_000);
  assert.equal(nextRestartDelay(20_000, 100), 30_000);
});
