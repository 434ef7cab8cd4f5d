import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredJob } from '@sluice/job-store';
import { draftNewJob, draftUpdatedJob, immutableIssues, toStored } from '../src/job-body.js';
import type { RouteScope } from '../src/auth/scope-guard.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const scope: RouteScope = { kind: 'zones', id: ZONE, path: `zones/${ZONE}`, access: 'write' };
const stored: StoredJob = { id: 7, zone_id: ZONE, dataset: 'http_requests', destination_conf: 'https://a.example.com', enabled: true, name: 'a', output_options: { field_names: ['ClientIP'] } };

test('a new job takes its scope from the path and drops read-only fields and nulls', () => {
  const draft = draftNewJob({ dataset: 'http_requests', id: 99, last_error: 'x', error_message: null, filter: null, name: 'n' }, scope);
  assert.ok(draft.ok);
  assert.deepEqual(draft.document, { dataset: 'http_requests', name: 'n', id: 1, zone_id: ZONE });
});

test('an update is a shallow merge: output_options is replaced whole, the rest kept', () => {
  const draft = draftUpdatedJob({ output_options: { field_names: ['RayID'] }, name: null }, scope, stored);
  assert.ok(draft.ok);
  assert.deepEqual(draft.document, { id: 7, zone_id: ZONE, dataset: 'http_requests', destination_conf: 'https://a.example.com', enabled: true, output_options: { field_names: ['RayID'] } });
});

test('immutable fields may be repeated but not changed; kind defaults to ""', () => {
  assert.deepEqual(immutableIssues({ dataset: 'http_requests', kind: '' }, stored), []);
  assert.deepEqual(immutableIssues({ kind: 'edge' }, stored).map((i) => i.path), ['/kind']);
});

test('the stored job never keeps the ownership token and always says whether it is enabled', () => {
  const job = toStored({ dataset: 'http_requests', destination_conf: 'x', ownership_challenge: 'v1.a.b', id: 1, zone_id: ZONE }, 12);
  assert.equal(job.id, 12);
  assert.equal(job.enabled, false);
  assert.ok(!('ownership_challenge' in job));
});
