import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureOf, httpJob, testApi, zonePath } from '../support/api-fixture.js';

const JOBS = zonePath('/logpush/jobs');

test('malformed JSON is 400 with Cloudflare\'s 6007', async () => {
  const api = testApi();
  const reply = await api.call('POST', JOBS, { raw: '{"dataset": "http_requests",', headers: { 'content-type': 'application/json' } });
  assert.equal(reply.status, 400);
  assert.equal(failureOf(reply)[0]?.code, 6007);
  assert.match(failureOf(reply)[0]?.message ?? '', /^Malformed JSON in request body/);
});

test('curl --data (application/x-www-form-urlencoded), text/plain and no Content-Type are read as JSON', async () => {
  const api = testApi();
  const body = JSON.stringify(httpJob());
  const variants: Record<string, string>[] = [{ 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'text/plain; charset=utf-8' }, {}, { 'content-type': 'application/vnd.api+json' }];
  for (const headers of variants) {
    const reply = await api.call('POST', JOBS, { raw: body, headers });
    assert.equal(reply.status, 200, JSON.stringify(headers));
  }
});

test('a Content-Type that cannot hold JSON is 415 (6009); an unparseable one too', async () => {
  const api = testApi();
  for (const type of ['multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'not a media type']) {
    const reply = await api.call('POST', JOBS, { raw: JSON.stringify(httpJob()), headers: { 'content-type': type } });
    assert.equal(reply.status, 415, type);
    assert.equal(failureOf(reply)[0]?.code, 6009);
  }
});

test('a body over the limit is 413 (6008) and is not stored', async () => {
  const api = testApi({ bodyLimitBytes: 1024 });
  const reply = await api.call('POST', JOBS, { body: httpJob({ name: 'x'.repeat(2000) }) });
  assert.equal(reply.status, 413);
  assert.equal(failureOf(reply)[0]?.code, 6008);
  assert.match(failureOf(reply)[0]?.message ?? '', /larger than 1024 bytes/);
  assert.equal(api.store.jobs().size, 0);
});

test('an empty body is "nothing" to the route, which names the body', async () => {
  const api = testApi();
  const reply = await api.call('POST', JOBS, { raw: '', headers: { 'content-type': 'application/json' } });
  assert.equal(reply.status, 400);
  assert.equal(failureOf(reply)[0]?.message, 'body: a job must be a JSON object, got nothing');
});

test('a __proto__ key anywhere is refused', async () => {
  const api = testApi();
  const reply = await api.call('POST', JOBS, { raw: '{"dataset":"http_requests","output_options":{"__proto__":{"polluted":true}}}', headers: { 'content-type': 'application/json' } });
  assert.equal(reply.status, 400);
  assert.match(failureOf(reply)[0]?.message ?? '', /"__proto__" is not allowed/);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('a JSON value that is not an object names the body', async () => {
  const api = testApi();
  for (const raw of ['[]', '"job"', '42', 'null', 'true']) {
    const reply = await api.call('POST', JOBS, { raw, headers: { 'content-type': 'application/json' } });
    assert.equal(reply.status, 400, raw);
    assert.match(failureOf(reply)[0]?.message ?? '', /^body: a job must be a JSON object/, raw);
  }
});
