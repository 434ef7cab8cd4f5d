import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { clientErrorReply } from '../src/error-replies.js';
import { failureOf, httpJob, testApi, zonePath } from './support/api-fixture.js';

test('an unknown route is 404 with 7003, whatever the credentials', async () => {
  const api = testApi();
  for (const [method, url] of [
    ['GET', '/client/v4/zones'],
    ['GET', '/client/v4/user/tokens/verify'],
    ['POST', zonePath('/logpush/edge/jobs')],
    ['GET', '/'],
  ] as const) {
    const reply = await api.call(method, url, { token: null });
    assert.equal(reply.status, 404, url);
    assert.equal(failureOf(reply)[0]?.code, 7003);
    assert.match(failureOf(reply)[0]?.message ?? '', /^No route for the URI/);
  }
});

test('a known path with the wrong method is 405 (7001) with Allow', async () => {
  const api = testApi();
  const reply = await api.call('PATCH', zonePath('/logpush/jobs/1'), { body: {} });
  assert.equal(reply.status, 405);
  assert.equal(reply.headers['allow'], 'DELETE, GET, HEAD, PUT');
  assert.equal(failureOf(reply)[0]?.code, 7001);
  const post = await api.call('POST', zonePath('/logpush/datasets/http_requests/fields'));
  assert.equal(post.headers['allow'], 'GET, HEAD');
});

test('a trailing slash, duplicate slashes and a query string reach the same route', async () => {
  const api = testApi();
  assert.equal((await api.call('GET', `${zonePath('/logpush/jobs')}/`)).status, 200);
  assert.equal((await api.call('GET', zonePath('//logpush/jobs'))).status, 200);
  assert.equal((await api.call('GET', `${zonePath('/logpush/jobs')}?page=1&per_page=50`)).status, 200);
});

test('a URL that is not valid percent-encoding, or a path segment far too long, is 400 with 6003', async () => {
  const api = testApi();
  for (const url of [zonePath('/logpush/jobs/%zz'), `/client/v4/zones/${'a'.repeat(300)}/logpush/jobs`]) {
    const reply = await api.call('GET', url);
    assert.equal(reply.status, 400, url);
    assert.equal(failureOf(reply)[0]?.code, 6003);
  }
});

test('SDK headers (api-version, X-Stainless-*) are ignored', async () => {
  const api = testApi();
  const reply = await api.call('GET', zonePath('/logpush/jobs'), { headers: { 'api-version': '2024-01-01', 'x-stainless-retry-count': '0', 'user-agent': 'Cloudflare/JS 7.3.0' } });
  assert.equal(reply.status, 200);
});

test('a store that fails is a logged 500 with 1000 and the request id, never the error text', async () => {
  const api = testApi();
  api.store.putJob = () => Promise.reject(new Error('disk on fire at s3://bucket?secret-access-key=LEAKED'));
  const reply = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob() });
  assert.equal(reply.status, 500);
  const [error] = failureOf(reply);
  assert.equal(error?.code, 1000);
  assert.match(error?.message ?? '', /^internal error \(request req-[0-9a-z]+\); the API's log has the details$/);
  const logged = api.logs.join('');
  assert.match(logged, /disk on fire/);
  assert.ok(!logged.includes('LEAKED'), 'credentials in error messages are redacted in the log');
});

test('a store that is behind or unreachable is 503 (1011) with Retry-After', async () => {
  const api = testApi();
  api.store.putJob = () => Promise.reject(Object.assign(new Error('view is behind'), { code: 'JOB_STORE_BEHIND', retriable: true }));
  const reply = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob() });
  assert.equal(reply.status, 503);
  assert.equal(reply.headers['retry-after'], '1');
  assert.deepEqual(failureOf(reply), [{ code: 1011, message: 'the job store is not available right now, try again [JOB_STORE_BEHIND]' }]);
});

test('a request that is not HTTP at all is answered with the envelope on the raw socket', () => {
  let written = '';
  const socket = { writable: true, end: (text: string) => void (written = text) } as unknown as Socket;
  clientErrorReply(Object.assign(new Error('Parse Error'), { code: 'HPE_INVALID_METHOD' }), socket);
  assert.match(written, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(written, /\r\n\r\n\{"success":false,"errors":\[\{"code":6003,"message":"The request is not valid HTTP"\}\],"messages":\[\],"result":null\}$/);
  clientErrorReply(Object.assign(new Error('Header overflow'), { code: 'HPE_HEADER_OVERFLOW' }), socket);
  assert.match(written, /^HTTP\/1\.1 431 /);
});
