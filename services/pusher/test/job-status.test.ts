import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJobStatus } from '../src/job-status.js';

void test('the first failure starts the failing clock and later failures do not move it', () => {
  const tracker = createJobStatus(1, 'j', 's3://b/p');
  tracker.failed('HTTP_503', 'busy', Date.UTC(2026, 0, 1, 0, 0, 0));
  tracker.failed('HTTP_503', 'still busy', Date.UTC(2026, 0, 1, 0, 5, 0));
  assert.equal(tracker.failingSinceMs(), Date.UTC(2026, 0, 1, 0, 0, 0));
  assert.equal(tracker.status.failing_since, '2026-01-01T00:00:00.000Z');
  assert.equal(tracker.status.last_error, '2026-01-01T00:05:00.000Z');
  assert.equal(tracker.status.error_message, 'HTTP_503: still busy');
});

void test('a delivery clears last_error, error_message and the failing clock, and advances last_complete', () => {
  const tracker = createJobStatus(1, 'j', 's3://b/p');
  tracker.failed('HTTP_503', 'busy', 1_000);
  tracker.delivered('s3://b/p/x.log.gz', 10, 1_000, 200, Date.UTC(2026, 0, 1, 1, 0, 0));
  assert.equal(tracker.failingSinceMs(), undefined);
  assert.deepEqual([tracker.status.last_error, tracker.status.error_message, tracker.status.failing_since], [null, null, null]);
  assert.equal(tracker.status.last_complete, '2026-01-01T01:00:00.000Z');
  tracker.delivered('s3://b/p/y.log.gz', 1, 10, 5, Date.UTC(2026, 0, 1, 0, 0, 0));
  assert.equal(tracker.status.last_complete, '2026-01-01T01:00:00.000Z', 'an older range never moves last_complete back');
});

void test('error messages lose credentials before they are kept', () => {
  const tracker = createJobStatus(1, 'j', 'https://siem');
  tracker.failed('HTTP_401', 'POST https://user:hunter2@siem.example/ingest?token=abc123 refused', 0);
  assert.ok(!tracker.status.error_message?.includes('hunter2'), tracker.status.error_message ?? '');
});

void test('a disabled job says so and why', () => {
  const tracker = createJobStatus(1, 'j', 's3://b/p');
  assert.equal(tracker.status.enabled, true);
  tracker.disabled('destination failing for 86400 s without a successful delivery');
  assert.equal(tracker.status.enabled, false);
  assert.match(tracker.status.disabled_reason ?? '', /86400 s/);
});

void test('a replacing runner carries totals and last_complete on, and the failure only while the destination is the same', () => {
  const old = createJobStatus(1, 'j', 's3://b/p');
  old.delivered('s3://b/p/x.log.gz', 10, 1_000, 200, Date.UTC(2026, 0, 1));
  old.retried('HTTP_503');
  old.failed('HTTP_503', 'busy', Date.UTC(2026, 0, 1, 1));
  old.status.records_consumed = 25;

  const same = createJobStatus(1, 'renamed', 's3://b/p', old.status);
  assert.deepEqual(
    [same.status.name, same.status.records_delivered, same.status.records_consumed, same.status.retries_by_code, same.status.last_complete],
    ['renamed', 10, 25, { HTTP_503: 1 }, '2026-01-01T00:00:00.000Z'],
  );
  assert.equal(same.status.error_message, 'HTTP_503: busy');
  assert.equal(same.failingSinceMs(), Date.UTC(2026, 0, 1, 1), 'the auto-disable clock keeps running');

  const moved = createJobStatus(1, 'j', 's3://other/p', old.status);
  assert.equal(moved.status.records_delivered, 10);
  assert.deepEqual([moved.status.last_error, moved.status.error_message, moved.status.failing_since, moved.failingSinceMs()], [null, null, null, undefined]);
  assert.equal(moved.status.enabled, true);
});
