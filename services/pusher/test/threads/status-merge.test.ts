import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobStatus } from '../../src/job-status.js';
import { createJobStatus } from '../../src/job-status.js';
import { mergeStatuses, retireStatuses } from '../../src/threads/status-merge.js';

function status(id: number, change: (s: JobStatus) => void = () => undefined): JobStatus {
  const s = structuredClone(createJobStatus(id, `job-${id}`, 's3://b/p').status);
  change(s);
  return s;
}

void test('counters of one job add up over the threads, and the latest delivery names the last object', () => {
  const a = status(1, (s) => {
    s.records_consumed = 10;
    s.records_delivered = 8;
    s.batches_delivered = 2;
    s.bytes_compressed = 100;
    s.retries_by_code = { HTTP_503: 2 };
    s.last_complete = '2026-01-01T00:00:02.000Z';
    s.last_object = 's3://b/p/a';
    s.batches_in_flight = 1;
  });
  const b = status(1, (s) => {
    s.records_consumed = 5;
    s.records_delivered = 5;
    s.batches_delivered = 1;
    s.bytes_compressed = 50;
    s.retries_by_code = { HTTP_503: 1, HTTP_429: 4 };
    s.last_complete = '2026-01-01T00:00:05.000Z';
    s.last_object = 's3://b/p/b';
    s.batches_in_flight = 2;
  });
  const [merged, ...rest] = mergeStatuses([{ statuses: [a], retired: [] }, { statuses: [b], retired: [] }]);
  assert.equal(rest.length, 0);
  assert.equal(merged?.records_consumed, 15);
  assert.equal(merged?.records_delivered, 13);
  assert.equal(merged?.batches_delivered, 3);
  assert.equal(merged?.bytes_compressed, 150);
  assert.equal(merged?.batches_in_flight, 3);
  assert.deepEqual(merged?.retries_by_code, { HTTP_503: 3, HTTP_429: 4 });
  assert.equal(merged?.last_complete, '2026-01-01T00:00:05.000Z');
  assert.equal(merged?.last_object, 's3://b/p/b');
  assert.equal(a.records_consumed, 10, 'the threads\' own statuses are not changed');
});

void test('health is the worst of the threads: a failure, a pause or a disablement on one shows on the job', () => {
  const healthy = status(1, (s) => (s.last_complete = '2026-01-01T00:00:09.000Z'));
  const failing = status(1, (s) => {
    s.last_error = '2026-01-01T00:00:07.000Z';
    s.error_message = 'HTTP_503: busy';
    s.failing_since = '2026-01-01T00:00:01.000Z';
    s.memory_paused = true;
    s.start_positions = 'p3@10:earliest';
  });
  const disabled = status(1, (s) => {
    s.enabled = false;
    s.disabled_reason = 'destination failing for 86400 s without a successful delivery';
    s.start_positions = 'p0@4:now';
  });
  const [merged] = mergeStatuses([healthy, failing, disabled].map((s) => ({ statuses: [s], retired: [] })));
  assert.equal(merged?.last_error, '2026-01-01T00:00:07.000Z');
  assert.equal(merged?.error_message, 'HTTP_503: busy');
  assert.equal(merged?.failing_since, '2026-01-01T00:00:01.000Z');
  assert.equal(merged?.enabled, false);
  assert.match(merged?.disabled_reason ?? '', /86400 s/);
  assert.equal(merged?.memory_paused, true);
  assert.equal(merged?.consumption_paused, false);
  assert.equal(merged?.start_positions, 'p3@10:earliest p0@4:now');
});

void test('a job that only some threads run is shown once, and jobs keep the order the threads report them in', () => {
  const merged = mergeStatuses([
    { statuses: [status(2), status(1)], retired: [] },
    { statuses: [status(1), status(3)], retired: [] },
  ]);
  assert.deepEqual(merged.map((s) => s.id), [2, 1, 3]);
});

void test('a thread that is down shows its jobs as failing with its message, and its totals count once, from retired', () => {
  const last = status(1, (s) => {
    s.records_delivered = 40;
    s.last_complete = '2026-01-01T00:00:03.000Z';
  });
  const retired = retireStatuses([], [last]);
  const other = status(1, (s) => (s.records_delivered = 2));
  const down = { atMs: Date.UTC(2026, 0, 1, 0, 1, 0), message: 'PUSHER_THREAD_CRASHED: pusher thread 1 ended (code 1)' };
  const [merged] = mergeStatuses([
    { statuses: [other], retired: [] },
    { statuses: [last], retired, down },
  ]);
  assert.equal(merged?.records_delivered, 42);
  assert.equal(merged?.last_error, '2026-01-01T00:01:00.000Z');
  assert.match(merged?.error_message ?? '', /^PUSHER_THREAD_CRASHED/);
  assert.equal(merged?.failing_since, null, 'a crash is not a destination failure: no auto-disable clock');
  assert.equal(merged?.last_complete, '2026-01-01T00:00:03.000Z');
});

void test('retired totals add to the current incarnation, and a job no live thread runs any more is not shown', () => {
  const first = status(1, (s) => {
    s.records_consumed = 7;
    s.last_error = '2026-01-01T00:00:00.000Z';
    s.error_message = 'old failure';
    s.enabled = false;
  });
  const retired = retireStatuses(retireStatuses([], [first, status(9, (s) => (s.records_consumed = 1))]), [status(1, (s) => (s.records_consumed = 3))]);
  assert.equal(retired.find((s) => s.id === 1)?.records_consumed, 10);
  const [merged, ...rest] = mergeStatuses([{ statuses: [status(1, (s) => (s.records_consumed = 5))], retired }]);
  assert.deepEqual(rest, [], 'job 9 is gone');
  assert.equal(merged?.records_consumed, 15);
  assert.equal(merged?.last_error, null, 'an earlier incarnation\'s health is not current');
  assert.equal(merged?.enabled, true);
});
