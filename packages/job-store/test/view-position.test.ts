import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ViewPosition } from '../src/view-position.js';

const never = (): Error => new Error('timed out');

void test('a wait resolves once the partition has been applied up to its offset, and not for another partition', async () => {
  const position = new ViewPosition();
  let resolved = false;
  const waiting = position.waitFor(0, 3, 60_000, never).then(() => (resolved = true));
  position.advanceTo(1, 10);
  position.advanceTo(0, 2);
  await Promise.resolve();
  assert.equal(resolved, false);
  position.advanceTo(0, 3);
  await waiting;
  assert.equal(resolved, true);
});

void test('records before the position are not new: a re-read after a rebalance applies nothing twice', () => {
  const position = new ViewPosition();
  position.advanceTo(0, 5);
  assert.equal(position.isNew(0, 4), false);
  assert.equal(position.isNew(0, 5), true);
  position.advanceTo(0, 2);
  assert.equal(position.nextOffset(0), 5, 'the position never moves back');
});

void test('a wait gives up with the caller-provided error, and a failed reader rejects every wait', async () => {
  const position = new ViewPosition();
  await assert.rejects(position.waitFor(0, 1, 5, () => Object.assign(new Error('behind'), { code: 'JOB_STORE_BEHIND' })), { code: 'JOB_STORE_BEHIND' });
  const pending = position.waitFor(0, 1, 60_000, never);
  position.fail(new Error('reader stopped'));
  await assert.rejects(pending, /reader stopped/);
  await assert.rejects(position.waitFor(0, 1, 60_000, never), /reader stopped/);
});
