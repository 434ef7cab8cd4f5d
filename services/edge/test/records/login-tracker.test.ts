import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLoginTracker } from '../../src/records/login-tracker.js';

test('a token logs in once; another token of the same user logs in again', () => {
  const tracker = createLoginTracker({ now: () => 1_000 });
  assert.equal(tracker.firstSeen('t1', 10_000), true);
  assert.equal(tracker.firstSeen('t1', 10_000), false);
  assert.equal(tracker.firstSeen('t2', 10_000), true);
});

test('memory stays bounded: the oldest tokens are forgotten first', () => {
  const tracker = createLoginTracker({ maxTokens: 2, now: () => 1_000 });
  tracker.firstSeen('a', 10_000);
  tracker.firstSeen('b', 10_000);
  tracker.firstSeen('c', 10_000);
  assert.equal(tracker.firstSeen('b', 10_000), false);
  assert.equal(tracker.firstSeen('a', 10_000), true, 'a was evicted, so it counts as new');
});
