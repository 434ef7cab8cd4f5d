import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, DEV_TOKEN, KEY_EMAIL, OTHER_ZONE, ZONE_READER, ZONE_WRITER, accountPath, failureOf, httpJob, testApi, zonePath } from '../support/api-fixture.js';

const JOBS = zonePath('/logpush/jobs');

describe('authentication', () => {
  test('no credentials is 401 with 9106 and a WWW-Authenticate challenge', async () => {
    const api = testApi();
    const reply = await api.call('GET', JOBS, { token: null });
    assert.equal(reply.status, 401);
    assert.deepEqual(failureOf(reply), [{ code: 9106, message: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers' }]);
    assert.equal(reply.headers['www-authenticate'], 'Bearer realm="sluice"');
  });

  test('an unknown bearer token is 401 with 9109', async () => {
    const api = testApi();
    const reply = await api.call('GET', JOBS, { token: 'not-a-configured-token' });
    assert.equal(reply.status, 401);
    assert.equal(failureOf(reply)[0]?.code, 9109);
  });

  test('an Authorization header that is not "Bearer <token>" is 401 with 6111', async () => {
    const api = testApi();
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer two tokens', DEV_TOKEN]) {
      const reply = await api.call('GET', JOBS, { token: null, headers: { authorization } });
      assert.equal(reply.status, 401, authorization);
      assert.equal(failureOf(reply)[0]?.code, 6111, authorization);
    }
  });

  test('the scheme is case-insensitive, as RFC 9110 says', async () => {
    const api = testApi();
    assert.equal((await api.call('GET', JOBS, { token: null, headers: { authorization: `bearer ${DEV_TOKEN}` } })).status, 200);
  });

  test('X-Auth-Email with X-Auth-Key authenticates with the key\'s scopes', async () => {
    const api = testApi();
    const headers = { 'x-auth-email': KEY_EMAIL, 'x-auth-key': API_KEY };
    assert.equal((await api.call('POST', zonePath('/logpush/jobs', OTHER_ZONE), { token: null, headers, body: httpJob() })).status, 200, 'zones/* write');
    assert.equal((await api.call('GET', accountPath('/logpush/jobs'), { token: null, headers })).status, 200, 'accounts/* read');
    const write = await api.call('POST', accountPath('/logpush/jobs'), { token: null, headers, body: {} });
    assert.equal(write.status, 403, 'accounts/* is read-only');
    const upper = await api.call('GET', JOBS, { token: null, headers: { 'x-auth-email': KEY_EMAIL.toUpperCase(), 'x-auth-key': API_KEY } });
    assert.equal(upper.status, 200, 'emails compare without case');
  });

  test('a wrong key, an unknown email or half of the pair is refused', async () => {
    const api = testApi();
    const wrongKey = await api.call('GET', JOBS, { token: null, headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': 'nope' } });
    assert.deepEqual([wrongKey.status, failureOf(wrongKey)[0]?.code], [401, 9103]);
    const unknownEmail = await api.call('GET', JOBS, { token: null, headers: { 'x-auth-email': 'who@example.com', 'x-auth-key': API_KEY } });
    assert.equal(failureOf(unknownEmail)[0]?.code, 9103);
    const half = await api.call('GET', JOBS, { token: null, headers: { 'x-auth-email': KEY_EMAIL } });
    assert.deepEqual([half.status, failureOf(half)[0]?.code], [401, 9106]);
  });

  test('authentication comes before the body is looked at', async () => {
    const api = testApi();
    const reply = await api.call('POST', JOBS, { token: null, raw: '{not json', headers: { 'content-type': 'application/json' } });
    assert.equal(reply.status, 401);
  });
});

describe('authorization', () => {
  test('a zone token works on its zone and is 403 (10000) on another zone or an account', async () => {
    const api = testApi();
    assert.equal((await api.call('POST', JOBS, { token: ZONE_WRITER, body: httpJob() })).status, 200);
    const otherZone = await api.call('GET', zonePath('/logpush/jobs', OTHER_ZONE), { token: ZONE_WRITER });
    assert.equal(otherZone.status, 403);
    assert.equal(failureOf(otherZone)[0]?.code, 10000);
    assert.match(failureOf(otherZone)[0]?.message ?? '', /token:zone-writer has no read access to zones\/fedcba9876543210fedcba9876543210/);
    assert.equal((await api.call('GET', accountPath('/logpush/jobs'), { token: ZONE_WRITER })).status, 403);
  });

  test('read access allows GET and HEAD, and refuses POST, PUT and DELETE', async () => {
    const api = testApi();
    await api.call('POST', JOBS, { body: httpJob() });
    assert.equal((await api.call('GET', JOBS, { token: ZONE_READER })).status, 200);
    assert.equal((await api.call('HEAD', JOBS, { token: ZONE_READER })).status, 200);
    assert.equal((await api.call('GET', zonePath('/logpush/datasets/http_requests/fields'), { token: ZONE_READER })).status, 200);
    for (const [method, path, body] of [
      ['POST', JOBS, httpJob()],
      ['PUT', zonePath('/logpush/jobs/1'), { enabled: true }],
      ['DELETE', zonePath('/logpush/jobs/1'), undefined],
      ['POST', zonePath('/logpush/validate/origin'), { logpull_options: null }],
      ['PUT', zonePath('/rulesets/phases/http_log_custom_fields/entrypoint'), { rules: [] }],
    ] as const) {
      const reply = await api.call(method, path, { token: ZONE_READER, body });
      assert.equal(reply.status, 403, `${method} ${path}`);
      assert.match(failureOf(reply)[0]?.message ?? '', /has no write access/);
    }
    assert.equal(api.store.jobs().size, 1);
  });

  test('the development token reaches every zone and account', async () => {
    const api = testApi();
    for (const path of [JOBS, zonePath('/logpush/jobs', OTHER_ZONE), accountPath('/logpush/jobs')]) {
      assert.equal((await api.call('GET', path)).status, 200, path);
    }
  });

  test('a malformed zone id is 7003 (400) for an authenticated caller', async () => {
    const api = testApi();
    for (const zone of ['xyz', '0123456789ABCDEF0123456789ABCDEF', `${'a'.repeat(32)}0`]) {
      const reply = await api.call('GET', `/client/v4/zones/${zone}/logpush/jobs`);
      assert.equal(reply.status, 400, zone);
      assert.equal(failureOf(reply)[0]?.code, 7003);
    }
  });
});

describe('secrets', () => {
  test('no token, key, Authorization header or destination credential reaches the log', async () => {
    const api = testApi();
    const secretConf = 'https://logs.example.com/in?header_Authorization=Basic%20c2VjcmV0LXBhc3N3b3Jk';
    await api.call('POST', JOBS, { body: httpJob({ destination_conf: secretConf }) });
    await api.call('GET', JOBS, { token: 'an-unknown-token-value' });
    await api.call('GET', JOBS, { token: null, headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': API_KEY } });
    await api.call('GET', JOBS, { token: null, headers: { authorization: 'Basic c2VjcmV0' } });
    const log = api.logs.join('');
    assert.ok(api.logs.length >= 4, 'every request is logged');
    for (const secret of [DEV_TOKEN, 'an-unknown-token-value', API_KEY, 'c2VjcmV0', 'c2VjcmV0LXBhc3N3b3Jk']) assert.ok(!log.includes(secret), secret);
    assert.match(log, /"caller":"SLUICE_API_TOKEN"/);
    assert.match(log, /"caller":"key:ops@example.com"/);
  });
});
