// Tests the per-caller rate limit: every route counts, each caller has its own budget, and the 429 is a v4 envelope with Retry-After.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, DEV_TOKEN, KEY_EMAIL, ZONE_READER, failureOf, testApi, zonePath } from './support/api-fixture.js';

const LIMIT = { max: 3, windowMs: 60_000 };

test('past its limit a token gets 429 with code 971 and Retry-After, while another caller still gets through', async () => {
  const api = testApi({ rateLimit: LIMIT });
  for (let i = 0; i < LIMIT.max; i++) assert.equal((await api.call('GET', zonePath('/logpush/jobs'))).status, 200);
  const limited = await api.call('GET', zonePath('/logpush/jobs'));
  assert.equal(limited.status, 429);
  assert.equal(failureOf(limited)[0]?.code, 971);
  assert.match(failureOf(limited)[0]?.message ?? '', /^Please wait and consider throttling your request speed: more than 3 requests in 60 s; try again in \d+ s$/);
  assert.match(String(limited.headers['retry-after']), /^\d+$/);
  assert.match(String(limited.headers['content-type']), /^application\/json/);
  assert.equal((await api.call('GET', zonePath('/logpush/jobs'), { token: ZONE_READER })).status, 200);
  assert.equal((await api.call('GET', zonePath('/logpush/jobs'), { token: null, headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': API_KEY } })).status, 200);
});

test('every route counts, the unknown path, the OpenAPI document and a write included', async () => {
  const api = testApi({ rateLimit: LIMIT });
  assert.equal((await api.call('GET', '/client/v4/openapi.json')).status, 200);
  assert.equal((await api.call('GET', '/client/v4/no/such/route')).status, 404);
  assert.equal((await api.call('POST', zonePath('/logpush/validate/origin'), { body: { logpull_options: null } })).status, 200);
  for (const [method, url] of [['GET', '/client/v4/openapi.json'], ['GET', '/client/v4/nowhere'], ['DELETE', zonePath('/logpush/jobs/1')]] as const) {
    const reply = await api.call(method, url);
    assert.equal(reply.status, 429, `${method} ${url}`);
    assert.equal(failureOf(reply)[0]?.code, 971);
  }
});

test('callers without valid credentials are counted by address, so guessing tokens is limited too', async () => {
  const api = testApi({ rateLimit: LIMIT });
  for (let i = 0; i < LIMIT.max; i++) assert.equal((await api.call('GET', zonePath('/logpush/jobs'), { token: `guess-${i}` })).status, 401);
  assert.equal((await api.call('GET', zonePath('/logpush/jobs'), { token: 'guess-next' })).status, 429);
  assert.equal((await api.call('GET', zonePath('/logpush/jobs'), { token: DEV_TOKEN })).status, 200, 'a known token has its own budget');
});

test('rateLimit: false turns limiting off', async () => {
  const api = testApi({ rateLimit: false });
  for (let i = 0; i < 5; i++) assert.equal((await api.call('GET', zonePath('/logpush/jobs'))).status, 200);
});
