import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobView } from '../src/index.js';
import { API_KEY, KEY_EMAIL, testApi, zonePath } from './support/api-fixture.js';

// Requests shaped exactly as Cloudflare's Logpush documentation writes them with curl.

test('curl --header "Content-Type: application/json" --data with every output option, as in the API reference', async () => {
  const api = testApi();
  const raw = `{
    "name": "example.com",
    "destination_conf": "https://logs.example.com/ingest?header_Authorization=Basic%20REDACTED",
    "dataset": "http_requests",
    "enabled": true,
    "frequency": "high",
    "kind": "",
    "max_upload_bytes": 5000000,
    "max_upload_interval_seconds": 30,
    "max_upload_records": 1000,
    "filter": "{\\"where\\":{\\"and\\":[{\\"key\\":\\"ClientRequestPath\\",\\"operator\\":\\"contains\\",\\"value\\":\\"/static\\"},{\\"key\\":\\"ClientRequestHost\\",\\"operator\\":\\"eq\\",\\"value\\":\\"example.com\\"}]}}",
    "output_options": {
      "CVE-2021-44228": false,
      "batch_prefix": "",
      "batch_suffix": "",
      "field_delimiter": ",",
      "field_names": ["ClientIP", "EdgeStartTimestamp", "RayID"],
      "output_type": "ndjson",
      "record_delimiter": "",
      "record_prefix": "{",
      "record_suffix": "}\\n",
      "record_template": "",
      "sample_rate": 1,
      "timestamp_format": "unixnano"
    }
  }`;
  const reply = await api.call<JobView>('POST', zonePath('/logpush/jobs'), { raw, headers: { 'content-type': 'application/json' } });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.result.enabled, true);
  assert.equal(reply.body.result.output_options?.record_suffix, '}\n');
});

test('the older examples: -X POST -d with X-Auth-Email/X-Auth-Key and no Content-Type', async () => {
  const api = testApi();
  const headers = { 'x-auth-email': KEY_EMAIL, 'x-auth-key': API_KEY, 'content-type': 'application/x-www-form-urlencoded' };
  const create = await api.call<JobView>('POST', zonePath('/logpush/jobs'), {
    token: null,
    headers,
    raw: '{"name":"legacy","destination_conf":"https://logs.example.com/in","logpull_options":"fields=RayID,ClientIP,EdgeStartTimestamp&timestamps=rfc3339","dataset":"http_requests"}',
  });
  assert.equal(create.status, 200, create.text);
  const enable = await api.call<JobView>('PUT', zonePath(`/logpush/jobs/${create.body.result.id}`), { token: null, headers, raw: '{"enabled":true}' });
  assert.equal(enable.body.result.enabled, true);
  const check = await api.call<{ valid: boolean }>('POST', zonePath('/logpush/validate/origin'), { token: null, headers, raw: '{"logpull_options":"fields=RayID,ClientIP,EdgeStartTimestamp&timestamps=rfc3339"}' });
  assert.deepEqual(check.body.result, { valid: true, message: '' });
});

test('curl --request DELETE with only the Authorization header', async () => {
  const api = testApi();
  const create = await api.call<JobView>('POST', zonePath('/logpush/jobs'), { raw: '{"dataset":"http_requests","destination_conf":"https://a.example.com","output_options":{"field_names":["RayID"]}}' });
  const reply = await api.call<{ id: number }>('DELETE', zonePath(`/logpush/jobs/${create.body.result.id}`));
  assert.deepEqual(reply.body.result, { id: create.body.result.id });
});
