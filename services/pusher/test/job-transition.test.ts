import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_CUSTOM_FIELDS, parseJob } from '@sluice/pipeline';
import type { CustomFieldSet } from '@sluice/pipeline';
import { decideTransition } from '../src/job-transition.js';
import type { DesiredJob } from '../src/job-source.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const base = {
  id: 5,
  name: 'audit',
  dataset: 'http_requests',
  zone_id: ZONE,
  enabled: true,
  destination_conf: 's3://logs/a?region=us-east-1',
  output_options: { field_names: ['ClientIP', 'RayID'] },
};

function desired(overrides: object = {}, customFields: CustomFieldSet = NO_CUSTOM_FIELDS): DesiredJob {
  const parsed = parseJob({ ...base, ...overrides });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return { kind: 'run', job: parsed.job, customFields };
}

void test('a job wanted and not running starts; one running and no longer wanted stops; nothing else moves', () => {
  assert.deepEqual(decideTransition(undefined, desired()), { kind: 'start' });
  assert.deepEqual(decideTransition(desired(), undefined), { kind: 'stop' });
  assert.deepEqual(decideTransition(undefined, undefined), { kind: 'none' });
  assert.deepEqual(decideTransition(desired(), desired()), { kind: 'none' }, 'the same job parsed twice is no change');
});

void test('a new filter, field list, output option, sample rate, limit or name restarts delivering the open batches', () => {
  const changes = [
    { filter: '{"where":{"key":"ClientIP","operator":"eq","value":"1.1.1.1"}}' },
    { output_options: { field_names: ['RayID'] } },
    { output_options: { field_names: ['ClientIP', 'RayID'], output_type: 'csv' } },
    { output_options: { field_names: ['ClientIP', 'RayID'], sample_rate: 0.5 } },
    { max_upload_records: 5_000 },
    { name: 'renamed' },
  ];
  for (const change of changes) {
    assert.deepEqual(decideTransition(desired(), desired(change)), { kind: 'restart', mode: 'deliver', change: 'configuration' }, JSON.stringify(change));
  }
});

void test("new custom fields for the job's zone restart it delivering the open batches", () => {
  const fields: CustomFieldSet = { requestHeaders: ['cf-access-user'], responseHeaders: [], cookies: [] };
  assert.deepEqual(decideTransition(desired(), desired({}, fields)), { kind: 'restart', mode: 'deliver', change: 'configuration' });
});

void test('a new destination restarts abandoning the open batches, even when other things changed too', () => {
  assert.deepEqual(decideTransition(desired(), desired({ destination_conf: 's3://logs/b?region=us-east-1' })), { kind: 'restart', mode: 'abandon', change: 'destination' });
  assert.deepEqual(
    decideTransition(desired(), desired({ destination_conf: 's3://logs/b?region=us-east-1', max_upload_records: 5_000 })),
    { kind: 'restart', mode: 'abandon', change: 'destination' },
  );
});
