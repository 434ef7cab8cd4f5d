import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJob } from '@sluice/pipeline';
import { customFieldsKey, decodeStoreRecord, jobKey, parseStoreKey } from '../src/store-records.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const job = {
  id: 12,
  name: 'audit',
  dataset: 'http_requests',
  zone_id: ZONE,
  enabled: true,
  destination_conf: 's3://logs/http?region=us-east-1',
  output_options: { field_names: ['ClientIP', 'RayID'] },
  max_upload_interval_seconds: 5,
};
const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

void test('job and custom-fields keys read back as what they name', () => {
  assert.deepEqual(parseStoreKey(jobKey(42)), { type: 'job', id: 42 });
  assert.deepEqual(parseStoreKey(customFieldsKey(ZONE)), { type: 'custom-fields', zoneId: ZONE });
  for (const bad of ['job/0', 'job/01', 'job/-3', 'job/1.5', 'job/', 'custom-fields/ABC', 'jobs/1', '']) assert.equal(parseStoreKey(bad), undefined, bad);
});

void test('a valid job record becomes a job event, and one without a value a deletion', () => {
  assert.deepEqual(decodeStoreRecord(Buffer.from('job/12'), bytes(job)), { ok: true, event: { type: 'job', id: 12, job } });
  assert.deepEqual(decodeStoreRecord(Buffer.from('job/12'), null), { ok: true, event: { type: 'job', id: 12, job: null } });
});

void test('the upload interval minimum is left to the API: a stored job with a 5-second interval is valid', () => {
  assert.equal(parseJob(job).ok, false, "Logpush's own minimum (30 s) refuses it");
  assert.equal(decodeStoreRecord(Buffer.from('job/12'), bytes(job)).ok, true);
});

void test('a value that is not JSON is refused, and still names the job id so that the id is never handed out', () => {
  const decoded = decodeStoreRecord(Buffer.from('job/77'), Buffer.from('{"id": 77,'));
  assert.equal(decoded.ok, false);
  assert.ok(!decoded.ok && decoded.id === 77);
  assert.match(!decoded.ok ? decoded.reason : '', /not JSON/);
});

void test('a job whose id differs from its key, or that breaks the job schema, is refused with the reason', () => {
  const mismatch = decodeStoreRecord(Buffer.from('job/13'), bytes(job));
  assert.match(!mismatch.ok ? mismatch.reason : '', /id 12 is not the key's id 13/);
  const broken = decodeStoreRecord(Buffer.from('job/12'), bytes({ ...job, output_options: { field_names: ['NoSuchField'] } }));
  assert.match(!broken.ok ? broken.reason : '', /\/output_options\/field_names\/0: "NoSuchField" is not a field of http_requests/);
  const nullValue = decodeStoreRecord(Buffer.from('job/12'), Buffer.from('null'));
  assert.match(!nullValue.ok ? nullValue.reason : '', /JSON null/);
});

void test('custom fields are checked with the Logpush rules, and an unknown key is refused', () => {
  const fields = { request_fields: [{ name: 'cf-access-user' }] };
  assert.deepEqual(decodeStoreRecord(Buffer.from(customFieldsKey(ZONE)), bytes(fields)), { ok: true, event: { type: 'custom-fields', zoneId: ZONE, fields } });
  assert.deepEqual(decodeStoreRecord(Buffer.from(customFieldsKey(ZONE)), null), { ok: true, event: { type: 'custom-fields', zoneId: ZONE, fields: null } });
  const upper = decodeStoreRecord(Buffer.from(customFieldsKey(ZONE)), bytes({ request_fields: [{ name: 'CF-Access-User' }] }));
  assert.match(!upper.ok ? upper.reason : '', /lower case/);
  const unknown = decodeStoreRecord(Buffer.from('settings/x'), bytes({}));
  assert.match(!unknown.ok ? unknown.reason : '', /unknown key "settings\/x"/);
  assert.equal(!unknown.ok ? unknown.id : 0, undefined);
});
