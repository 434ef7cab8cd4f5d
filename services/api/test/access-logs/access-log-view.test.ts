import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339Nanos, toAccessLogView } from '../../src/access-logs/access-log-view.js';
import { accessEvent, T0_NS } from './sample-events.js';

test('created_at is RFC 3339 with every nanosecond, and parses back to the same millisecond', () => {
  assert.equal(rfc3339Nanos(T0_NS + 123_456_789n), '2026-01-31T12:00:00.123456789Z');
  assert.equal(rfc3339Nanos(T0_NS), '2026-01-31T12:00:00.000000000Z');
  assert.equal(new Date(rfc3339Nanos(T0_NS + 5_000_000n)).getTime(), Number(T0_NS / 1_000_000n) + 5);
});

test('an allowed event has exactly the Access API fields, in its order, and no deny reason', () => {
  const view = toAccessLogView({ ...accessEvent(), id: 1 }, undefined);
  assert.deepEqual(Object.keys(view), ['user_email', 'ip_address', 'app_uid', 'app_domain', 'action', 'allowed', 'created_at', 'connection', 'country', 'ray_id', 'app_type']);
  assert.equal(view.allowed, true);
  assert.equal(view.app_type, 'self_hosted');
});

test('a denied event adds deny_reason_code and deny_reason', () => {
  const view = toAccessLogView({ ...accessEvent({ allowed: false, denyReasonCode: 'IDENTITY_EXPIRED', denyReason: 'token expired' }), id: 1 }, undefined);
  assert.equal(view.deny_reason_code, 'IDENTITY_EXPIRED');
  assert.equal(view.deny_reason, 'token expired');
});

test('fields picks only the fields asked for; a deny field on an allowed event stays absent', () => {
  const row = { ...accessEvent(), id: 1 };
  assert.deepEqual(toAccessLogView(row, ['ray_id', 'allowed', 'deny_reason']), { ray_id: '187d944c61940c77', allowed: true });
});
