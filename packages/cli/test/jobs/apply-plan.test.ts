import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobView } from '@sluice/api';
import { planApply } from '../../src/jobs/apply-plan.js';
import type { PlanInput } from '../../src/jobs/apply-plan.js';
import type { WantedJob } from '../../src/jobs/jobs-file.js';

const ZONE = '0123456789abcdef0123456789abcdef';

function shown(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 3,
    dataset: 'http_requests',
    enabled: false,
    name: 'audit',
    kind: '',
    destination_conf: 's3://logs/a?region=us-east-1',
    filter: null,
    output_options: { field_names: ['RayID'] },
    logpull_options: null,
    frequency: null,
    max_upload_bytes: null,
    max_upload_records: null,
    max_upload_interval_seconds: null,
    last_complete: '2026-01-31T12:00:00Z',
    last_error: null,
    error_message: null,
    ...overrides,
  };
}

function wanted(body: Record<string, unknown>): WantedJob {
  return { name: String(body['name']), body };
}

function plan(jobs: WantedJob[], existing: JobView[], extra: Partial<PlanInput> = {}) {
  return planApply({ wanted: { jobs, customFields: new Map() }, existing, currentCustomFields: new Map(), prune: false, scopePath: `zones/${ZONE}`, ...extra });
}

const AUDIT = { name: 'audit', dataset: 'http_requests', destination_conf: 's3://logs/a?region=us-east-1', output_options: { field_names: ['RayID'] } };

test('a job read back with GET (health fields, nulls, key order) is unchanged', () => {
  const { last_complete: _c, ...rest } = shown();
  const result = plan([wanted({ ...rest, ownership_challenge: 'v1.token' })], [shown()]);
  assert.deepEqual(result.ok && result.jobs, [{ action: 'unchanged', name: 'audit', id: 3 }]);
});

test('output_options compare by value, whatever the key order', () => {
  const result = plan([wanted({ ...AUDIT, output_options: { timestamp_format: 'unix', field_names: ['RayID'] } })], [shown({ output_options: { field_names: ['RayID'], timestamp_format: 'unix' } })]);
  assert.deepEqual(result.ok && result.jobs.map((step) => step.action), ['unchanged']);
});

test('the ownership challenge is sent with a new destination, and not otherwise', () => {
  const moved = plan([wanted({ ...AUDIT, destination_conf: 's3://logs/b?region=us-east-1', ownership_challenge: 'v1.token' })], [shown()]);
  assert.deepEqual(moved.ok && moved.jobs, [
    { action: 'update', name: 'audit', id: 3, fields: ['destination_conf'], body: { destination_conf: 's3://logs/b?region=us-east-1', ownership_challenge: 'v1.token' } },
  ]);
  const enabled = plan([wanted({ ...AUDIT, enabled: true, ownership_challenge: 'v1.token' })], [shown()]);
  assert.deepEqual(enabled.ok && enabled.jobs, [{ action: 'update', name: 'audit', id: 3, fields: ['enabled'], body: { enabled: true } }]);
});

test('a field the file leaves out is sent as null to clear it; an unknown key is sent for the API to refuse', () => {
  const result = plan([wanted({ ...AUDIT, filtr: '{}' })], [shown({ max_upload_records: 5000 })]);
  assert.deepEqual(result.ok && result.jobs, [{ action: 'update', name: 'audit', id: 3, fields: ['max_upload_records', 'filtr'], body: { max_upload_records: null, filtr: '{}' } }]);
});

test('a kind change and a name held by two jobs are conflicts, and nothing is planned', () => {
  const result = plan([wanted({ ...AUDIT, kind: 'edge' }), wanted({ ...AUDIT, name: 'twin' })], [shown(), shown({ id: 4, name: 'twin' }), shown({ id: 5, name: 'twin' })]);
  assert.equal(result.ok, false);
  assert.deepEqual(!result.ok && result.conflicts, [
    'audit (id 3): kind cannot change (the job has "", the file says "edge"); give the new job another name, or delete this one first',
    `2 jobs in zones/${ZONE} are named "twin" (ids 4, 5): rename or delete all but one, then apply again`,
  ]);
});

test('jobs the file does not name, unnamed ones included, are left alone, or deleted last with prune', () => {
  const existing = [shown({ id: 1, name: null }), shown(), shown({ id: 4, name: 'old' })];
  const kept = plan([wanted({ ...AUDIT, name: 'new' }), wanted(AUDIT)], existing);
  assert.deepEqual(kept.ok && kept.leftAlone.map((job) => job.id), [1, 4]);
  const pruned = plan([wanted({ ...AUDIT, name: 'new' }), wanted(AUDIT)], existing, { prune: true });
  assert.deepEqual(pruned.ok && pruned.jobs.map((step) => `${step.action} ${step.name}`), ['create new', 'unchanged audit', 'delete null', 'delete old']);
  assert.deepEqual(pruned.ok && pruned.leftAlone, []);
});

test('custom fields are updated only when they differ from what the zone has', () => {
  const fields = { request_fields: [{ name: 'cf-access-user' }] };
  const same = plan([], [], { wanted: { jobs: [], customFields: new Map([[ZONE, fields]]) }, currentCustomFields: new Map([[ZONE, structuredClone(fields)]]) });
  assert.deepEqual(same.ok && same.customFields.map((step) => step.action), ['unchanged']);
  const none = plan([], [], { wanted: { jobs: [], customFields: new Map([[ZONE, fields]]) }, currentCustomFields: new Map([[ZONE, undefined]]) });
  assert.deepEqual(none.ok && none.customFields.map((step) => step.action), ['update']);
});
