import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@sluice/logging';
import { startRetentionSweeper } from '../../src/access-logs/access-log-retention.js';
import type { RetentionTimers } from '../../src/access-logs/access-log-retention.js';
import { createAccessLogStore } from '../../src/access-logs/access-log-store.js';
import { accessEvent, T0_MS, T0_NS } from './sample-events.js';

const logger = createLogger({ name: 'retention-test', level: 'silent' });
const DAY_MS = 86_400_000;

function fakeTimers(): RetentionTimers & { tick(): void; everyMs: number | undefined; cleared: boolean } {
  let run: (() => void) | undefined;
  const timers = {
    everyMs: undefined as number | undefined,
    cleared: false,
    setInterval(fn: () => void, ms: number) {
      run = fn;
      timers.everyMs = ms;
      return 1;
    },
    clearInterval() {
      timers.cleared = true;
    },
    tick: () => run?.(),
  };
  return timers;
}

test('each sweep deletes what the clock says has expired, every minute by default', () => {
  let now = T0_MS;
  const store = createAccessLogStore({ now: () => now });
  store.add([accessEvent({ rayId: 'd', allowed: false, createdAtNs: T0_NS }), accessEvent({ rayId: 'a', createdAtNs: T0_NS })]);
  const timers = fakeTimers();
  const sweeper = startRetentionSweeper({ store, logger, timers });
  assert.equal(timers.everyMs, 60_000);
  timers.tick();
  assert.equal(store.size(), 2);
  now = T0_MS + 7 * DAY_MS + 1;
  timers.tick();
  assert.equal(store.size(), 1, 'the denied event is gone after a week');
  now = T0_MS + 183 * DAY_MS + 1;
  assert.equal(sweeper.sweep(), 1);
  sweeper.stop();
  assert.equal(timers.cleared, true);
  store.close();
});

test('a failing sweep is logged and tried again next time, never thrown', () => {
  let failures = 0;
  const timers = fakeTimers();
  const sweeper = startRetentionSweeper({
    store: {
      prune: () => {
        failures++;
        throw new Error('database is locked');
      },
    },
    logger,
    timers,
  });
  timers.tick();
  assert.equal(sweeper.sweep(), 0);
  assert.equal(failures, 2);
});
