import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryHealthStore } from '@sluice/job-store';
import type { HealthStore } from '@sluice/job-store';
import { createLogger } from '@sluice/logging';
import { createHealthReporter, dueStatuses } from '../src/health-reporter.js';
import { createJobStatus } from '../src/job-status.js';

const logger = createLogger({ name: 'test', level: 'silent' });

void test('a report is due when never sent, when the Logpush health changed, or when the interval has passed', () => {
  const a = createJobStatus(1, 'a', 's3://b/a');
  const b = createJobStatus(2, 'b', 's3://b/b');
  assert.deepEqual(dueStatuses([a.status, b.status], new Map(), 0, 5_000).map((s) => s.id), [1, 2]);
  const sent = new Map([
    [1, { signature: JSON.stringify([null, null, null, true, null]), atMs: 0 }],
    [2, { signature: JSON.stringify([null, null, null, true, null]), atMs: 0 }],
  ]);
  b.status.records_consumed = 50;
  assert.deepEqual(dueStatuses([a.status, b.status], sent, 1_000, 5_000), [], 'counters alone wait for the interval');
  b.failed('HTTP_503', 'busy', 1_000);
  assert.deepEqual(dueStatuses([a.status, b.status], sent, 1_000, 5_000).map((s) => s.id), [2]);
  assert.deepEqual(dueStatuses([a.status, b.status], sent, 5_000, 5_000).map((s) => s.id), [1, 2]);
});

void test('the reporter publishes each job with its worker and report time, and everything again when it stops', async () => {
  const health = createMemoryHealthStore();
  const job = createJobStatus(7, 'audit', 's3://b/p');
  let clock = Date.UTC(2026, 0, 1);
  const reporter = createHealthReporter({ health, statuses: () => [job.status], worker: 'worker-a', logger, now: () => clock });
  await reporter.tick();
  assert.deepEqual(
    [health.health().get(7)?.worker, health.health().get(7)?.reported_at, health.health().get(7)?.last_complete],
    ['worker-a', '2026-01-01T00:00:00.000Z', null],
  );
  job.delivered('s3://b/p/x.log.gz', 3, 300, 30, Date.UTC(2026, 0, 1, 0, 0, 1));
  clock += 1_000;
  await reporter.tick();
  assert.equal(health.health().get(7)?.last_complete, '2026-01-01T00:00:01.000Z', 'a new last_complete goes out at once');
  assert.equal(health.health().get(7)?.['records_delivered'], 3);
  job.status.records_consumed = 99;
  clock += 1;
  await reporter.stop();
  assert.equal(health.health().get(7)?.['records_consumed'], 99, 'stopping publishes the final counters');
});

void test('a failed publish is logged and retried on the next tick, never thrown', async () => {
  const inner = createMemoryHealthStore();
  let failures = 1;
  const flaky: HealthStore = { ...inner, publish: (reports) => (failures-- > 0 ? Promise.reject(new Error('kafka away')) : inner.publish(reports)) };
  const job = createJobStatus(8, 'siem', 'https://siem');
  const reporter = createHealthReporter({ health: flaky, statuses: () => [job.status], worker: 'w', logger });
  await reporter.tick();
  assert.equal(inner.health().has(8), false);
  await reporter.tick();
  assert.equal(inner.health().has(8), true);
});
