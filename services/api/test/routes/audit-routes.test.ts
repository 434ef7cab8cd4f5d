import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredJob } from '@sluice/job-store';
import { failureOf, testApi, ZONE, ZONE_READER, zonePath } from '../support/api-fixture.js';
import type { TestApiOptions } from '../support/api-fixture.js';
import { fakeObjectStore } from '../support/fake-object-store.js';
import type { FakeObjectStore } from '../support/fake-object-store.js';

const SECRET = 'TOPSECRETKEY';
const CONF = `s3://audit-bucket/http/{DATE}?region=us-east-1&endpoint=https://s3.example.com&access-key-id=AKIAEXAMPLE&secret-access-key=${SECRET}`;
const FIELDS = ['EdgeStartTimestamp', 'RayID', 'ClientRequestMethod', 'ClientRequestHost', 'ClientRequestURI', 'EdgeResponseStatus', 'ClientIP', 'RequestHeaders'];
const AUDIT = zonePath('/sluice/audit');

function line(iso: string, ray: string, user: string, uri: string): string {
  return JSON.stringify({ EdgeStartTimestamp: iso, RayID: ray, ClientRequestMethod: 'GET', ClientRequestHost: 'wiki.example.com', ClientRequestURI: uri, EdgeResponseStatus: 200, ClientIP: '192.0.2.1', RequestHeaders: { 'cf-access-user': user } }) + '\n';
}

async function apiWithJob(options: TestApiOptions & { conf?: string; store?: FakeObjectStore } = {}) {
  const objects = options.store ?? fakeObjectStore({ path: 'http/{DATE}' });
  objects.put(
    'http/20260131/20260131T110000Z_20260131T110100Z_job1-p0-o0.log.gz',
    line('2026-01-31T11:00:30Z', 'r2', 'alice@example.com', '/wiki/secret') + line('2026-01-31T11:00:10Z', 'r1', 'alice@example.com', '/login') + line('2026-01-31T11:00:20Z', 'b1', 'bob@example.com', '/bob'),
  );
  const opened: string[] = [];
  const { conf, store: _store, ...rest } = options;
  const api = testApi({ objectStores: objects.opener(opened), ...rest });
  const job = { id: 1, name: 'audit', dataset: 'http_requests', zone_id: ZONE, enabled: true, destination_conf: conf ?? CONF, output_options: { field_names: FIELDS, timestamp_format: 'rfc3339' } } as StoredJob;
  await api.store.putJob(job);
  await api.store.putCustomFields(ZONE, { request_fields: [{ name: 'cf-access-user' }] });
  return { api, objects, opened };
}

const query = (params: Record<string, string>): string => `${AUDIT}?${new URLSearchParams(params).toString()}`;

describe('GET /zones/{zone_id}/sluice/audit', () => {
  test("answers the user's requests in time order, with result_info, to a read-only token", async () => {
    const { api, objects } = await apiWithJob();
    const reply = await api.call<Record<string, unknown>[]>('GET', query({ email: 'alice@example.com', since: '2026-01-31T11:00:00Z', until: '2026-01-31T12:00:00Z' }), { token: ZONE_READER });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(Object.keys(reply.body).sort(), ['errors', 'messages', 'result', 'result_info', 'success']);
    assert.deepEqual(reply.body.result.map((row) => [row['time'], row['ray_id'], row['path']]), [
      ['2026-01-31T11:00:10Z', 'r1', '/login'],
      ['2026-01-31T11:00:30Z', 'r2', '/wiki/secret'],
    ]);
    const info = (reply.body as unknown as { result_info: Record<string, unknown> }).result_info;
    assert.deepEqual(info, { count: 2, truncated: false, truncated_by: null, objects_scanned: 1, objects_skipped: 0, records_unreadable: 0, job_id: 1, since: '2026-01-31T11:00:00.000Z', until: '2026-01-31T12:00:00.000Z' });
    assert.equal(objects.closed, 1, 'the reader is closed after the answer');
  });

  test('a bad parameter gets 400 naming the parameter and its value, before any store is touched', async () => {
    const { api, objects } = await apiWithJob();
    const reply = await api.call('GET', query({ email: 'alice@example.com', since: 'last tuesday' }));
    assert.equal(reply.status, 400);
    assert.deepEqual(failureOf(reply).map((e) => [e.code, e.message]), [[1001, 'since "last tuesday" is not an RFC 3339 time, e.g. 2026-01-31T12:00:00Z']]);
    assert.equal(objects.lists.length, 0);
  });

  test('without a job that stores the user it answers 404 (code 1030) saying why; an unknown job_id is 1002', async () => {
    const { api } = await apiWithJob();
    await api.store.putCustomFields(ZONE, null);
    const none = await api.call('GET', query({ email: 'alice@example.com', since: '2026-01-31T11:00:00Z' }));
    assert.equal(none.status, 404);
    assert.equal(failureOf(none)[0]?.code, 1030);
    assert.match(failureOf(none)[0]?.message ?? '', /job 1 "audit": the zone's custom fields do not log the cf-access-user request header/);
    const unknown = await api.call('GET', query({ email: 'alice@example.com', since: '2026-01-31T11:00:00Z', job_id: '42' }));
    assert.deepEqual([unknown.status, failureOf(unknown)[0]?.code], [404, 1002]);
  });

  test('a store at a private address is refused by the address policy (1012) and never opened', async () => {
    const { api, opened } = await apiWithJob({ conf: CONF.replace('https://s3.example.com', 'https://store.internal'), dns: { 'store.internal': ['10.0.0.5'] } });
    const reply = await api.call('GET', query({ email: 'alice@example.com', since: '2026-01-31T11:00:00Z' }));
    assert.equal(reply.status, 400);
    assert.equal(failureOf(reply)[0]?.code, 1012);
    assert.deepEqual(opened, []);
    assert.ok(!reply.text.includes(SECRET));
  });

  test("a store that refuses answers 400 (1009) with the store's code only: no credential or store message in the reply or the log", async () => {
    const objects = fakeObjectStore({ path: 'http/{DATE}' });
    const { api } = await apiWithJob({ store: objects });
    objects.failWith = Object.assign(new Error(`Access Denied for ${CONF}`), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const reply = await api.call('GET', query({ email: 'alice@example.com', since: '2026-01-31T11:00:00Z' }));
    assert.equal(reply.status, 400, reply.text);
    assert.equal(failureOf(reply)[0]?.code, 1009);
    assert.match(failureOf(reply)[0]?.message ?? '', /\[S3_AccessDenied\]/);
    assert.ok(!reply.text.includes(SECRET) && !reply.text.includes('AKIAEXAMPLE'));
    assert.ok(!api.logs.join('\n').includes(SECRET), 'the secret reached the log');
  });

  test('an API without objectStores answers 501 (code 1031)', async () => {
    const { api } = await apiWithJob({ objectStores: undefined });
    const reply = await api.call('GET', query({ email: 'alice@example.com', since: '2026-01-31T11:00:00Z' }));
    assert.deepEqual([reply.status, failureOf(reply)[0]?.code], [501, 1031]);
  });

  test('the OpenAPI document declares the query parameters and result_info', async () => {
    const { api } = await apiWithJob();
    const response = await api.app.inject({ method: 'GET', url: '/client/v4/openapi.json' });
    const document = JSON.parse(response.body) as { paths: Record<string, { get: { parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, { content: { 'application/json': { schema: { required: string[] } } } }> } }> };
    const operation = document.paths['/zones/{zone_id}/sluice/audit']?.get;
    assert.ok(operation);
    assert.deepEqual(operation.parameters.map((p) => `${p.in}:${p.name}:${p.required}`), ['path:zone_id:true', 'query:email:true', 'query:since:true', 'query:until:false', 'query:job_id:false', 'query:limit:false']);
    assert.ok(operation.responses['200']?.content['application/json'].schema.required.includes('result_info'));
    assert.ok(operation.responses['404'] && operation.responses['501'] && operation.responses['502']);
  });
});
