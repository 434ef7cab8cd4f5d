import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_RESTART_DELAY_MS, MAX_RESTART_DELAY_MS, nextRestartDelay, STABLE_AFTER_MS } from '../../src/threads/restart-delay.js';

void test('a thread that ran a while is restarted soon; one that keeps crashing waits twice as long each time, up to a cap', () => {
  assert.equal(nextRestartDelay(undefined, 0), BASE_RESTART_DELAY_MS);
  assert.equal(nextRestartDelay(500, 100), 1_000);
  assert.equal(nextRestartDelay(1_000, 100), 2_000);
  assert.equal(nextRestartDelay(20_000, 100), MAX_RESTART_DELAY_MS);
  assert.equal(nextRestartDelay(8_000, STABLE_AFTER_MS), BASE_RESTART_DELAY_MS);
});
