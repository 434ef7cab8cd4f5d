import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAccessLogQuery } from '../../src/access-logs/access-log-query.js';
import type { AccessLogQuery } from '../../src/access-logs/access-log-query.js';
import { ACCOUNT_A } from './sample-events.js';

function parsed(params: Record<string, unknown>): AccessLogQuery {
  const result = parseAccessLogQuery(ACCOUNT_A, params);
  assert.ok(result.ok, result.ok ? '' : result.issues.map((issue) => issue.message).join('; '));
  return result.query;
}

function refused(params: Record<string, unknown>): string {
  const result = parseAccessLogQuery(ACCOUNT_A, params);
  assert.ok(!result.ok, `accepted ${JSON.stringify(params)}`);
  return result.issues.map((issue) => issue.message).join('; ');
}

test('with no parameters the newest 25 events of the account are asked for, every field', () => {
  assert.deepEqual(parsed({}), { accountId: ACCOUNT_A, sinceNs: undefined, untilNs: undefined, direction: 'desc', take: 25, skip: 0, page: 1, perPage: 25, filters: [], fields: undefined });
});

test("the documentation's example parses: limit, direction, since inclusive and until exclusive", () => {
  const query = parsed({ limit: '25', direction: 'desc', since: '2020-07-01T05:20:00Z', until: '2020-10-01T05:20:00Z' });
  assert.equal(query.sinceNs, BigInt(Date.UTC(2020, 6, 1, 5, 20)) * 1_000_000n);
  assert.equal(query.untilNs, BigInt(Date.UTC(2020, 9, 1, 5, 20)) * 1_000_000n);
  assert.equal(parsed({ direction: 'asc' }).direction, 'asc');
  assert.equal(parsed({ since: '2020-07-01T05:20:00.123456789+02:00' }).sinceNs, BigInt(Date.UTC(2020, 6, 1, 3, 20)) * 1_000_000n + 123_456_789n);
});

test('limit caps the answer; per_page and page choose the page', () => {
  assert.deepEqual(pick(parsed({ limit: '1000' })), { take: 1000, skip: 0, page: 1, perPage: 1000 });
  assert.deepEqual(pick(parsed({ per_page: '10', page: '3' })), { take: 10, skip: 20, page: 3, perPage: 10 });
  assert.deepEqual(pick(parsed({ limit: '5', per_page: '10', page: '2' })), { take: 5, skip: 10, page: 2, perPage: 10 });
  assert.deepEqual(pick(parsed({ limit: '50', page: '2' })), { take: 50, skip: 50, page: 2, perPage: 50 });
});

function pick(query: AccessLogQuery) {
  return { take: query.take, skip: query.skip, page: query.page, perPage: query.perPage };
}

test('email is a substring match unless emailOp or email_exact says otherwise, with email_exact winning', () => {
  const email = (params: Record<string, string>) => parsed({ email: '@example.com', ...params }).filters[0];
  assert.deepEqual(email({}), { name: 'email', op: 'contains', value: '@example.com' });
  assert.equal(email({ emailOp: 'contains' })?.op, 'contains');
  assert.equal(email({ emailOp: 'eq' })?.op, 'eq');
  assert.equal(email({ email_exact: 'true' })?.op, 'eq');
  assert.equal(email({ email_exact: 'true', emailOp: 'contains' })?.op, 'eq');
  assert.equal(email({ emailOp: 'neq' })?.op, 'not_contains');
  assert.equal(email({ emailOp: 'neq', email_exact: 'true' })?.op, 'neq');
  assert.equal(email({ email_exact: 'false' })?.op, 'contains');
});

test('each SDK filter comes with its operator, eq by default', () => {
  const query = parsed({ allowed: 'false', app_uid: 'app-1', app_uidOp: 'neq', app_type: 'self_hosted', country_code: 'us', idp: 'saml', idpOp: 'eq', ray_id: 'abc', ray_idOp: 'neq', non_identity: 'true' });
  assert.deepEqual(query.filters, [
    { name: 'allowed', op: 'eq', value: false },
    { name: 'non_identity', op: 'eq', value: true },
    { name: 'app_uid', op: 'neq', value: 'app-1' },
    { name: 'app_type', op: 'eq', value: 'self_hosted' },
    { name: 'country_code', op: 'eq', value: 'us' },
    { name: 'idp', op: 'eq', value: 'saml' },
    { name: 'ray_id', op: 'neq', value: 'abc' },
  ]);
  assert.deepEqual(parsed({ allowedOp: 'neq' }).filters, [], 'an operator alone filters nothing');
});

test('the deprecated user_id is accepted and ignored, and unknown parameters are ignored', () => {
  assert.deepEqual(parsed({ user_id: 'u-1', user_idOp: 'eq', 'api-version': '4' }).filters, []);
});

test('fields keeps the listed fields once each, in the order given', () => {
  assert.deepEqual(parsed({ fields: 'ray_id, user_email,ray_id,deny_reason' }).fields, ['ray_id', 'user_email', 'deny_reason']);
});

test('each bad parameter is refused, naming it and its value', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ limit: '0' }, /^limit="0" is not valid: expected a whole number from 1 to 1000/],
    [{ limit: '1001' }, /^limit="1001"/],
    [{ limit: 'ten' }, /^limit="ten"/],
    [{ limit: '2.5' }, /^limit="2\.5"/],
    [{ limit: '-1' }, /^limit="-1"/],
    [{ per_page: '5000' }, /^per_page="5000"/],
    [{ page: '0' }, /^page="0"/],
    [{ direction: 'up' }, /^direction="up" is not valid: expected "desc" or "asc"/],
    [{ since: 'yesterday' }, /^since="yesterday" is not valid: expected an RFC 3339 time, e\.g\. 2020-07-01T05:20:00Z/],
    [{ until: '2020-13-01T00:00:00Z' }, /^until="2020-13-01T00:00:00Z"/],
    [{ since: '2020-07-02T00:00:00Z', until: '2020-07-01T00:00:00Z' }, /^until="2020-07-01T00:00:00Z" is not valid: expected a time after since="2020-07-02T00:00:00Z"/],
    [{ emailOp: 'like' }, /^emailOp="like" is not valid: expected "eq" or "neq" or "contains"/],
    [{ email_exact: 'yes' }, /^email_exact="yes" is not valid: expected "true" or "false"/],
    [{ allowed: '1' }, /^allowed="1"/],
    [{ allowedOp: 'gt' }, /^allowedOp="gt"/],
    [{ app_uidOp: 'contains' }, /^app_uidOp="contains"/],
    [{ app_typeOp: 'x' }, /^app_typeOp="x"/],
    [{ country_codeOp: 'x' }, /^country_codeOp="x"/],
    [{ idpOp: 'x' }, /^idpOp="x"/],
    [{ ray_idOp: 'x' }, /^ray_idOp="x"/],
    [{ non_identity: 'maybe' }, /^non_identity="maybe"/],
    [{ non_identityOp: 'x' }, /^non_identityOp="x"/],
    [{ user_idOp: 'x' }, /^user_idOp="x"/],
    [{ email: 'x'.repeat(513) }, /^email="x{64}…" is not valid: expected at most 512 characters/],
    [{ fields: 'user_email,token' }, /^fields="user_email,token" is not valid: expected a comma-separated list of .* \(unknown: "token"\)/],
    [{ fields: '' }, /^fields="" is not valid/],
    [{ limit: ['1', '2'] }, /^limit="1,2" is not valid: expected it once, not repeated/],
  ];
  for (const [params, pattern] of cases) assert.match(refused(params), pattern, JSON.stringify(params));
});

test('every bad parameter is reported at once, not only the first', () => {
  const result = parseAccessLogQuery(ACCOUNT_A, { limit: 'x', direction: 'sideways', since: 'soon' });
  assert.ok(!result.ok);
  assert.deepEqual(result.issues.map((issue) => issue.parameter), ['limit', 'direction', 'since']);
});
