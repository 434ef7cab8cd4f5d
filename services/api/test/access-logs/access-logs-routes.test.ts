import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccessLogStore } from '../../src/access-logs/access-log-store.js';
import type { AccessLogView } from '../../src/access-logs/access-log-view.js';
import { accountPath, API_KEY, KEY_EMAIL, testApi, ZONE_READER } from '../support/api-fixture.js';
import { ACCOUNT_A, accessEvent, eventSeries, T0_MS } from './sample-events.js';

const PATH = accountPath('/access/logs/access_requests', ACCOUNT_A);
const FIELDS = ['user_email', 'ip_address', 'app_uid', 'app_domain', 'action', 'allowed', 'created_at', 'connection', 'country', 'ray_id', 'app_type'];

function apiWithEvents() {
  const store = createAccessLogStore({ now: () => T0_MS });
  store.add(eventSeries(30));
  return { api: testApi({ accessLogs: store }), store };
}

interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages: number;
  total_count_is_lower_bound: boolean;
}

test("the documentation's curl example answers with the newest events in the v4 envelope, with X-Auth-Email/X-Auth-Key", async () => {
  const { api } = apiWithEvents();
  const reply = await api.call<AccessLogView[]>('GET', `${PATH}?limit=25&direction=desc&since=2020-07-01T05:20:00Z&until=2030-10-01T05:20:00Z`, { token: null, headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': API_KEY } });
  assert.equal(reply.status, 200, reply.text);
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  assert.equal(reply.body.success, true);
  assert.equal(reply.body.result.length, 25);
  assert.equal(reply.body.result[0]?.created_at, '2026-01-31T12:00:00.000000000Z');
  assert.ok(reply.body.result.every((event, i, all) => i === 0 || (all[i - 1]?.created_at ?? '') > (event.created_at ?? '')), 'newest first');
  assert.deepEqual((reply.body as unknown as { result_info: ResultInfo }).result_info, { page: 1, per_page: 25, count: 25, total_count: 30, total_pages: 2, total_count_is_lower_bound: false });
});

test('an allowed event has exactly the documented fields; a denied one adds why it was denied', async () => {
  const { api } = apiWithEvents();
  const reply = await api.call<AccessLogView[]>('GET', `${PATH}?limit=3`);
  const allowed = reply.body.result.find((event) => event.allowed === true);
  const denied = reply.body.result.find((event) => event.allowed === false);
  assert.deepEqual(Object.keys(allowed ?? {}), FIELDS);
  assert.equal(denied?.allowed, false);
  assert.deepEqual(Object.keys(denied ?? {}), [...FIELDS, 'deny_reason_code', 'deny_reason']);
  assert.equal(denied?.deny_reason_code, 'IDENTITY_EXPIRED');
  assert.equal(denied?.deny_reason, 'token expired');
});

test('filters, paging and fields reach the index', async () => {
  const { api } = apiWithEvents();
  const page = await api.call<AccessLogView[]>('GET', `${PATH}?allowed=false&per_page=4&page=2&fields=ray_id,allowed,deny_reason`);
  assert.equal(page.status, 200, page.text);
  assert.equal(page.body.result.length, 4);
  assert.ok(page.body.result.every((event) => event.allowed === false && event.deny_reason === 'token expired' && Object.keys(event).length === 3));
  assert.deepEqual((page.body as unknown as { result_info: ResultInfo }).result_info, { page: 2, per_page: 4, count: 4, total_count: 10, total_pages: 3, total_count_is_lower_bound: false });
  const bob = await api.call<AccessLogView[]>('GET', `${PATH}?email=bob%40corp.example.org&email_exact=true&direction=asc&limit=1000`);
  assert.equal(bob.body.result.length, 15);
  assert.ok(bob.body.result.every((event) => event.user_email === 'bob@corp.example.org'));
});

test('a bad parameter gets 400 in the v4 envelope naming the parameter and the value', async () => {
  const { api } = apiWithEvents();
  const reply = await api.call('GET', `${PATH}?limit=5000&direction=sideways`);
  assert.equal(reply.status, 400);
  assert.equal(reply.body.success, false);
  assert.equal(reply.body.result, null);
  assert.deepEqual(reply.body.errors.map((error) => error.code), [1001, 1001]);
  assert.match(reply.body.errors[0]?.message ?? '', /^limit="5000" is not valid/);
  assert.match(reply.body.errors[1]?.message ?? '', /^direction="sideways" is not valid/);
});

test('a zone-scoped token has no access to the account, and no credentials get 9106', async () => {
  const { api } = apiWithEvents();
  assert.equal((await api.call('GET', PATH, { token: ZONE_READER })).body.errors[0]?.code, 10000);
  assert.equal((await api.call('GET', PATH, { token: null })).body.errors[0]?.code, 9106);
});

test('only GET exists on the route: a POST gets 405 with Allow', async () => {
  const { api } = apiWithEvents();
  const reply = await api.call('POST', PATH, { body: {} });
  assert.equal(reply.status, 405);
  assert.match(String(reply.headers['allow']), /GET/);
});

test('without an index the route says so with 501 (code 1050), and still checks parameters first', async () => {
  const api = testApi();
  const reply = await api.call('GET', PATH);
  assert.equal(reply.status, 501);
  assert.equal(reply.body.errors[0]?.code, 1050);
  assert.equal((await api.call('GET', `${PATH}?limit=0`)).status, 400);
});

test('no JWT-shaped text is ever served, whatever the records held', async () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  store.add([accessEvent({ allowed: false, denyReasonCode: 'IDENTITY_BAD_SIGNATURE', denyReason: 'bad token signature', userEmail: '' })]);
  const reply = await testApi({ accessLogs: store }).call('GET', PATH);
  assert.doesNotMatch(reply.text, /eyJ[\w-]+\.[\w-]+\./);
  assert.match(reply.text, /bad token signature/);
});

test('the OpenAPI document lists the route under the account with its query parameters and result_info', async () => {
  const api = testApi();
  const reply = await api.app.inject({ method: 'GET', url: '/client/v4/openapi.json' });
  const document = JSON.parse(reply.body) as { paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; responses: Record<string, { content?: { 'application/json': { schema: { required?: string[] } } } }> }>> };
  const operation = document.paths['/accounts/{account_id}/access/logs/access_requests']?.['get'];
  assert.ok(operation, 'the route is in the document');
  assert.equal(document.paths['/zones/{zone_id}/access/logs/access_requests'], undefined, 'account scope only');
  const query = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  for (const name of ['limit', 'direction', 'since', 'until', 'page', 'per_page', 'email', 'emailOp', 'email_exact', 'allowed', 'allowedOp', 'app_uid', 'app_uidOp', 'app_type', 'app_typeOp', 'country_code', 'country_codeOp', 'idp', 'idpOp', 'ray_id', 'ray_idOp', 'fields']) {
    assert.ok(query.includes(name), `query parameter ${name}`);
  }
  assert.ok(operation.responses['200']?.content?.['application/json'].schema.required?.includes('result_info'));
  assert.ok(operation.responses['400'] && operation.responses['501']);
});
