import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createAccessLogStore, createApiServer, createAuthenticator, sha256Hex } from '@sluice/api';
import type { AccessLogEvent } from '@sluice/api';
import { createAddressGuard, createGuardedDestinations } from '@sluice/destinations';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import { createLogger } from '@sluice/logging';
import { ACCOUNT, DEV_TOKEN, sluice } from './support/cli-against-api.js';

const T0_NS = BigInt(Date.UTC(2026, 0, 31, 12)) * 1_000_000n;
const READER = 'account-reader-token-never-printed';

function event(overrides: Partial<AccessLogEvent>): AccessLogEvent {
  return {
    accountId: ACCOUNT,
    createdAtNs: T0_NS,
    userEmail: 'alice@example.com',
    ipAddress: '192.0.2.10',
    appUid: 'app-1',
    appDomain: 'wiki.example.com',
    appType: 'self_hosted',
    action: 'login',
    allowed: true,
    connection: 'saml',
    country: 'US',
    rayId: 'ray-1',
    userUid: 'u-1',
    denyReasonCode: '',
    denyReason: '',
    ...overrides,
  };
}

let url: string;
let close: () => Promise<unknown>;

before(async () => {
  const store = createAccessLogStore({ now: () => Number(T0_NS / 1_000_000n) });
  store.add([
    event({ rayId: 'ray-1', createdAtNs: T0_NS - 120_000_000_000n }),
    event({ rayId: 'ray-2', createdAtNs: T0_NS - 60_000_000_000n, userEmail: 'mallory@example.com', allowed: false, denyReasonCode: 'IDENTITY_EXPIRED', denyReason: 'token expired' }),
    event({ rayId: 'ray-3', createdAtNs: T0_NS, userEmail: 'bob@corp.example.org' }),
  ]);
  const destinations = createGuardedDestinations({ guard: createAddressGuard({ resolve: () => Promise.resolve(['127.0.0.1']) }) });
  const app = createApiServer({
    store: createMemoryJobStore(),
    health: createMemoryHealthStore(),
    registry: destinations.registry,
    addresses: destinations,
    auth: createAuthenticator({ config: { tokens: [{ name: 'reader', sha256: sha256Hex(READER), scopes: { [`accounts/${ACCOUNT}`]: 'read' } }] }, devToken: DEV_TOKEN }),
    logger: createLogger({ name: 'cli-access-logs', level: 'silent' }),
    accessLogs: store,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/client/v4`;
  close = () => app.close();
});
after(() => close());

const run = (args: string[], token = READER) => sluice(['access-logs', '--account', ACCOUNT, ...args], { SLUICE_API_URL: url, SLUICE_API_TOKEN: token });

test('prints a table newest first, a denied row with its code and reason, and a count on stderr', async () => {
  const { code, stdout, stderr } = await run([]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^TIME\s+USER\s+RESULT\s+APP\s+IP\s+COUNTRY\s+IDP\s+RAY ID\s+REASON$/);
  assert.deepEqual(lines.slice(1).map((line) => line.split(/\s+/)[1]), ['bob@corp.example.org', 'mallory@example.com', 'alice@example.com']);
  assert.match(lines[2] ?? '', /^2026-01-31T11:59:00\.000000000Z\s+mallory@example\.com\s+denied\s+.*ray-2\s+IDENTITY_EXPIRED: token expired$/);
  assert.match(lines[1] ?? '', /\s-$/, 'an allowed row has no reason');
  assert.equal(stderr, '3 events (1 denied)\n');
  assert.ok(!stdout.includes(READER) && !stderr.includes(READER), 'the token is never printed');
});

test('--json prints the API result and result_info; the flags become the query', async () => {
  const { code, stdout } = await run(['--json', '--direction', 'asc', '--limit', '2', '--email', 'example.com', '--since', '2026-01-31T00:00:00Z', '--until', '2026-02-01T00:00:00Z']);
  assert.equal(code, 0);
  const answer = JSON.parse(stdout) as { result: { ray_id: string; user_email: string }[]; result_info: { total_count: number } };
  assert.deepEqual(answer.result.map((e) => e.ray_id), ['ray-1', 'ray-2']);
  assert.equal(answer.result_info.total_count, 2, 'bob@corp.example.org does not contain "example.com"');
});

test('a value the API refuses is a usage error (exit 2) naming the parameter and value', async () => {
  const { code, stderr } = await run(['--direction', 'sideways']);
  assert.equal(code, 2);
  assert.match(stderr, /^1001: direction="sideways" is not valid: expected "desc" or "asc"$/m);
});

test('a token without access to the account exits 1 with the API\'s error', async () => {
  const { code, stderr } = await sluice(['access-logs', '--account', 'bbbbccccddddeeeeffff000011112222'], { SLUICE_API_URL: url, SLUICE_API_TOKEN: READER });
  assert.equal(code, 1);
  assert.match(stderr, /^10000: /m);
});

test('--account is required and must be an account id', async () => {
  assert.equal((await sluice(['access-logs'], { SLUICE_API_URL: url })).code, 2);
  const bad = await sluice(['access-logs', '--account', 'nope'], { SLUICE_API_URL: url });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /account id "nope" is not a 32-character lowercase hex id/);
});
