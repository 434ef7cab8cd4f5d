import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchCatchUp } from '../../src/access-logs/catch-up-watch.js';

function settled(promise: Promise<void>): { state: () => string } {
  let state = 'pending';
  promise.then(
    () => (state = 'resolved'),
    (error: Error) => (state = `rejected: ${error.message}`),
  );
  return { state: () => state };
}

test('a catch-up that keeps reading may take far longer than the stall limit, and resolves once it reaches the end', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let read = 0;
  const watch = watchCatchUp({ reached: () => read >= 100, progress: () => read, stallMs: 1_000, stalled: () => new Error('stalled') });
  const outcome = settled(watch.done);
  for (let step = 0; step < 9; step++) {
    t.mock.timers.tick(900);
    read += 10;
    watch.check();
  }
  await Promise.resolve();
  assert.equal(outcome.state(), 'pending', '8.1 s in, never 1 s without progress');
  read = 100;
  watch.check();
  await watch.done;
  assert.equal(outcome.state(), 'resolved');
});

test('a catch-up that reads nothing for the stall limit is rejected with the caller\'s error', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let read = 5;
  const watch = watchCatchUp({ reached: () => false, progress: () => read, stallMs: 1_000, stalled: () => new Error('read nothing for 1000 ms') });
  const outcome = settled(watch.done);
  t.mock.timers.tick(600);
  read = 6;
  watch.check();
  t.mock.timers.tick(600);
  watch.check();
  await Promise.resolve();
  assert.equal(outcome.state(), 'pending', 'progress 600 ms ago restarted the clock');
  t.mock.timers.tick(500);
  await assert.rejects(watch.done, /read nothing for 1000 ms/);
});

test('an index already at the end resolves at once', async () => {
  const watch = watchCatchUp({ reached: () => true, progress: () => 0, stallMs: 1_000, stalled: () => new Error('stalled') });
  await watch.done;
});
