import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredJob } from '@sluice/job-store';
import { pickAuditJob } from '../../src/audit/audit-job.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const USER_LOGGED = { request_fields: [{ name: 'cf-access-user' }] };
const S3 = 's3://audit-bucket/http/{DATE}?region=us-east-1&access-key-id=AKIA&secret-access-key=TOPSECRET';

function stored(id: number, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    name: `job-${id}`,
    dataset: 'http_requests',
    zone_id: ZONE,
    enabled: true,
    destination_conf: S3,
    output_options: { field_names: ['EdgeStartTimestamp', 'RayID', 'RequestHeaders'] },
    ...overrides,
  };
}

describe('pickAuditJob', () => {
  test("picks the zone's lowest-id enabled http_requests job to S3 that stores the time and the user", () => {
    const jobs = [stored(5), stored(3, { enabled: false }), stored(4, { destination_conf: 'https://siem.example.com/in' }), stored(9, { zone_id: 'f'.repeat(32) })];
    const picked = pickAuditJob({ zoneId: ZONE, jobs, customFields: USER_LOGGED, jobId: undefined });
    assert.ok(picked.ok);
    assert.equal(picked.job.id, 5);
    assert.equal(picked.job.format.timestampFormat, 'unixnano');
  });

  test('when none qualifies it says why, job by job, and never shows a destination', () => {
    const jobs = [
      stored(1, { enabled: false }),
      stored(2, { destination_conf: 'https://siem.example.com/in?header_Authorization=Basic%20c2VjcmV0' }),
      stored(3, { output_options: { field_names: ['RayID', 'RequestHeaders'] } }),
      stored(4, { output_options: { field_names: ['EdgeStartTimestamp', 'RequestHeaders'], record_template: '{{ .RayID }}' } }),
    ];
    const picked = pickAuditJob({ zoneId: ZONE, jobs, customFields: USER_LOGGED, jobId: undefined });
    assert.ok(!picked.ok);
    assert.equal(picked.code, 'AUDIT_NO_SUITABLE_JOB');
    assert.match(picked.message, /job 1 "job-1": it is disabled/);
    assert.match(picked.message, /job 2 "job-2": its destination is https:\/\/; only s3:\/\/ or r2:\/\/ objects can be read back/);
    assert.match(picked.message, /job 3 "job-3": its field_names lack EdgeStartTimestamp/);
    assert.match(picked.message, /job 4 "job-4": its output_options use a record_template/);
    assert.ok(!picked.message.includes('c2VjcmV0') && !picked.message.includes('TOPSECRET'));
  });

  test('a zone that does not log cf-access-user has no job that can answer', () => {
    const picked = pickAuditJob({ zoneId: ZONE, jobs: [stored(1)], customFields: undefined, jobId: undefined });
    assert.ok(!picked.ok);
    assert.match(picked.message, /do not log the cf-access-user request header/);
  });

  test('a job named by id may be disabled; one of another zone is not found', () => {
    const jobs = [stored(1, { enabled: false }), stored(2, { zone_id: 'f'.repeat(32) })];
    const named = pickAuditJob({ zoneId: ZONE, jobs, customFields: USER_LOGGED, jobId: 1 });
    assert.ok(named.ok && named.job.id === 1);
    const other = pickAuditJob({ zoneId: ZONE, jobs, customFields: USER_LOGGED, jobId: 2 });
    assert.deepEqual(other, { ok: false, code: 'JOB_NOT_FOUND', message: `job 2 not found in zones/${ZONE}` });
  });

  test('CSV with a header line in batch_prefix is readable and skips that line; a batch_suffix is not', () => {
    const csv = pickAuditJob({ zoneId: ZONE, jobs: [stored(1, { output_options: { field_names: ['EdgeStartTimestamp', 'RequestHeaders'], output_type: 'csv', batch_prefix: 'EdgeStartTimestamp,RequestHeaders\n' } })], customFields: USER_LOGGED, jobId: undefined });
    assert.ok(csv.ok && csv.job.headerLines === 1);
    const framed = pickAuditJob({ zoneId: ZONE, jobs: [stored(1, { output_options: { field_names: ['EdgeStartTimestamp', 'RequestHeaders'], batch_prefix: '{"events":[', record_delimiter: ',', batch_suffix: ']}\n' } })], customFields: USER_LOGGED, jobId: undefined });
    assert.ok(!framed.ok);
    assert.match(framed.message, /change the ndjson framing/);
  });
});
