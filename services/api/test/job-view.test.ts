import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJobView } from '../src/job-view.js';

const ZONE = '0123456789abcdef0123456789abcdef';

test('unset options show as null, kind as "", and health fields are null without a report', () => {
  const view = toJobView({ id: 3, zone_id: ZONE, dataset: 'http_requests', destination_conf: 'https://a.example.com' }, undefined);
  assert.deepEqual(view, {
    id: 3,
    dataset: 'http_requests',
    enabled: false,
    name: null,
    kind: '',
    destination_conf: 'https://a.example.com',
    filter: null,
    output_options: null,
    logpull_options: null,
    frequency: null,
    max_upload_bytes: null,
    max_upload_records: null,
    max_upload_interval_seconds: null,
    last_complete: null,
    last_error: null,
    error_message: null,
  });
});

test('start_from is shown only when set; zone_id and the ownership token never', () => {
  const view = toJobView({ id: 3, zone_id: ZONE, dataset: 'http_requests', destination_conf: 'x', start_from: 'earliest', ownership_challenge: 'v1.a.b' }, undefined);
  assert.equal(view.start_from, 'earliest');
  assert.ok(!('zone_id' in view));
  assert.ok(!('ownership_challenge' in view));
});
