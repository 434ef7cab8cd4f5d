import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuditQuery } from '../../src/audit/audit-query.js';

const NOW = Date.parse('2026-01-31T12:00:00Z');

function issues(query: Record<string, unknown>): string[] {
  const parsed = parseAuditQuery(query, NOW);
  assert.equal(parsed.ok, false, 'expected the query to be refused');
  return parsed.ok ? [] : parsed.issues.map((issue) => `${issue.param}: ${issue.message}`);
}

describe('parseAuditQuery', () => {
  test('takes email and since, defaults until to now and limit to 1,000, and keeps times exact to the nanosecond', () => {
    const parsed = parseAuditQuery({ email: 'alice@example.com', since: '2026-01-31T11:00:00.000000001Z' }, NOW);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.query, { email: 'alice@example.com', sinceNs: 1769857200000000001n, untilNs: 1769860800000000000n, jobId: undefined, limit: 1000 });
  });

  test('each bad parameter is named with its value', () => {
    assert.deepEqual(issues({ email: 'a@b', since: 'yesterday', until: '2026-13-01T00:00:00Z', job_id: '0', limit: '99999' }), [
      'since: since "yesterday" is not an RFC 3339 time, e.g. 2026-01-31T12:00:00Z',
      'until: until "2026-13-01T00:00:00Z" is not an RFC 3339 time, e.g. 2026-01-31T12:00:00Z',
      'job_id: job_id "0" is not an integer ≥ 1, e.g. job_id=3',
      'limit: limit "99999" is not an integer from 1 to 10000',
    ]);
  });

  test('email and since are required; an email with spaces, a repeated parameter and an unknown one are refused', () => {
    assert.deepEqual(issues({}).map((line) => line.split(':')[0]), ['email', 'since']);
    assert.match(issues({ email: 'alice @example.com', since: '2026-01-31T11:00:00Z' })[0] ?? '', /^email: email "alice @example.com" is not a user identity/);
    assert.match(issues({ email: ['a@x', 'b@x'], since: '2026-01-31T11:00:00Z' })[0] ?? '', /^email: email was given more than once/);
    assert.match(issues({ email: 'a@x', since: '2026-01-31T11:00:00Z', user: 'x' })[0] ?? '', /^user: unknown parameter "user"/);
  });

  test('until must be after since, and the range at most 366 days', () => {
    assert.match(issues({ email: 'a@x', since: '2026-01-31T11:00:00Z', until: '2026-01-31T11:00:00Z' })[0] ?? '', /^until: until "2026-01-31T11:00:00Z" is not after since/);
    assert.match(issues({ email: 'a@x', since: '2024-01-01T00:00:00Z' })[0] ?? '', /^since: since "2024-01-01T00:00:00Z" is more than 366 days before until/);
  });
});
