// Logins and denials through the real gateway → Kafka → the API's SQLite index → the access_requests route, read with the official SDK and with curl.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Cloudflare from 'cloudflare';
import { createAccessIndex, createApiServer, createAuthenticator, parseAccessLogQuery, sha256Hex } from '@sluice/api';
import type { AccessIndex, AccessLogView } from '@sluice/api';
import { DEV_ISSUER, loadOrCreateDevSigningKey, startDemoOrigin } from '@sluice/edge';
import type { DemoOrigin, DevSigningKey } from '@sluice/edge';
import { createLogger } from '@sluice/logging';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import { deriveHexId } from '@sluice/schemas';
import type { Kafka } from 'kafkajs';
import { gatewayRequest, runTag, testEnv, testKafka, waitUntil } from '../../src/index.js';
import type { GatewayReply } from '../../src/index.js';
import { startEdgeProcess } from '../../src/edge-process.js';
import { loopbackDestinations } from '../../src/api-destinations.js';

const run = promisify(execFile);
const tag = runTag();
const ACCOUNT = deriveHexId(`account:access-logs-${tag}`);
const ZONE = deriveHexId(`zone:access-logs-${tag}`);
const WIKI = `wiki-${tag}.example.com`;
const TOKEN = `access-logs-reader-${tag}`;
const EMAIL = 'auditor@example.com';
const KEY = `c2547eb745079dac9320b638f5e225cf483cc5cfdda41-${tag}`;
const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}/;

interface Attempt {
  reply: GatewayReply;
  token: string | undefined;
  allowed: boolean;
  email: string;
  code?: string;
  reason?: RegExp;
}

describe('Access authentication logs: gateway → Kafka → index → API', () => {
  const env = testEnv();
  const logger = createLogger({ name: 'access-logs-e2e', level: 'warn' });
  let kafka: Kafka;
  let dir: string;
  let origin: DemoOrigin;
  let key: DevSigningKey;
  let edge: ChildProcess;
  let edgePort: number;
  let index: AccessIndex;
  let api: ReturnType<typeof createApiServer>;
  let baseURL: string;
  const attempts: Attempt[] = [];
  const startedAt = new Date(Date.now() - 1_000).toISOString();

  before(async () => {
    kafka = testKafka(env, 'access-logs-e2e');
    dir = mkdtempSync(join(tmpdir(), 'sluice-access-logs-e2e-'));
    key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
    origin = await startDemoOrigin();
    writeFileSync(
      join(dir, 'edge.json'),
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 0 },
        account_id: ACCOUNT,
        identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json', leeway_seconds: 5 },
        apps: [{ name: 'wiki', hostnames: [WIKI], origin: origin.url, zone: { id: ZONE, name: 'example.com' }, aud: 'wiki-aud', allow: { email_domains: ['example.com'] } }],
        kafka: { brokers: env.brokers.join(',') },
        spool: { dir: 'spool' },
      }),
    );
    const started = await startEdgeProcess(join(dir, 'edge.json'));
    edge = started.child;
    edgePort = started.port;
  });

  after(async () => {
    await api?.close();
    await index?.close();
    if (edge?.exitCode === null) edge.kill('SIGKILL');
    await origin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers users through the gateway: logins pass, denied attempts are refused', async () => {
    const send = async (token: string | undefined, expected: Omit<Attempt, 'reply' | 'token'>, path = '/'): Promise<void> => {
      const reply = await gatewayRequest(edgePort, WIKI, path, token === undefined ? {} : { 'cf-access-jwt-assertion': token });
      assert.equal(reply.status === 200, expected.allowed, `${expected.email || 'anonymous'}: ${reply.status} ${reply.body}`);
      attempts.push({ reply, token, ...expected });
    };
    const alice = await key.mint({ email: 'alice@example.com', audience: 'wiki-aud', connection: 'saml', country: 'GB' });
    await send(alice, { allowed: true, email: 'alice@example.com' });
    // The same token again is no new login.
    assert.equal((await gatewayRequest(edgePort, WIKI, '/again', { 'cf-access-jwt-assertion': alice })).status, 200);
    await send(await key.mint({ email: 'bob@example.com', audience: 'wiki-aud' }), { allowed: true, email: 'bob@example.com' });
    await send(await key.mint({ email: 'carol@example.com', audience: 'wiki-aud', ttlSeconds: 60, nowMs: Date.now() - 3_600_000 }), { allowed: false, email: 'carol@example.com', code: 'IDENTITY_EXPIRED', reason: /^token expired$/ });
    await send(await key.mint({ email: 'eve@elsewhere.org', audience: 'wiki-aud' }), { allowed: false, email: 'eve@elsewhere.org', code: 'IDENTITY_USER_NOT_ALLOWED', reason: /^user not in the app's allow list$/ });
    await send(await key.mint({ email: 'dave@example.com', audience: 'crm-aud' }), { allowed: false, email: 'dave@example.com', code: 'IDENTITY_WRONG_AUDIENCE', reason: /^wrong audience/ });
    await send(undefined, { allowed: false, email: '', code: 'IDENTITY_TOKEN_MISSING', reason: /^no token/ });
  });

  it('indexes them from sluice.access_requests, from the start of the topic, with no group offsets', async () => {
    index = createAccessIndex({ kafka, logger, path: join(dir, 'access.sqlite') });
    await index.ready();
    const parsed = parseAccessLogQuery(ACCOUNT, { limit: '1000' });
    assert.ok(parsed.ok);
    const query = parsed.query;
    await waitUntil('the index to hold every attempt', () => index.store.query(query).total >= attempts.length, 30_000);
    assert.equal(index.store.query(query).total, attempts.length, 'one event per login and per denied request, no more');
    const auth = createAuthenticator({
      config: {
        tokens: [{ name: 'auditor', sha256: sha256Hex(TOKEN), scopes: { [`accounts/${ACCOUNT}`]: 'read' } }],
        keys: [{ email: EMAIL, sha256: sha256Hex(KEY), scopes: { [`accounts/${ACCOUNT}`]: 'read' } }],
      },
    });
    api = createApiServer({
      store: createMemoryJobStore(),
      health: createMemoryHealthStore(),
      registry: loopbackDestinations({ resolve: () => Promise.resolve(['127.0.0.1']) }).registry,
      addresses: loopbackDestinations({ resolve: () => Promise.resolve(['127.0.0.1']) }),
      auth,
      logger,
      accessLogs: index.store,
    });
    await api.listen({ port: 0, host: '127.0.0.1' });
    baseURL = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/client/v4`;
  });

  const until = () => new Date(Date.now() + 60_000).toISOString();

  it('the official SDK lists them unchanged, each denied one with why', async () => {
    const client = new Cloudflare({ apiToken: TOKEN, baseURL, maxRetries: 0 });
    const events = (await client.zeroTrust.access.logs.accessRequests.list({ account_id: ACCOUNT, limit: 25, direction: 'desc', since: startedAt, until: until() })) as (AccessLogView & Record<string, unknown>)[];
    assert.equal(events.length, attempts.length);
    const byRay = new Map(events.map((event) => [event.ray_id, event]));
    for (const attempt of attempts) {
      const event = byRay.get(attempt.reply.rayId);
      assert.ok(event, `no event for ray ${attempt.reply.rayId}`);
      assert.equal(event.allowed, attempt.allowed);
      assert.equal(event.user_email, attempt.email);
      assert.equal(event.app_domain, WIKI);
      assert.equal(event.action, 'login');
      assert.equal(event.app_type, 'self_hosted');
      assert.equal(event.ip_address, '127.0.0.1');
      assert.match(event.created_at ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
      if (attempt.allowed) {
        assert.equal(event.deny_reason_code, undefined);
      } else {
        assert.equal(event.deny_reason_code, attempt.code);
        assert.match(event.deny_reason ?? '', attempt.reason ?? /./);
      }
    }
    assert.equal(byRay.get(attempts[0]?.reply.rayId)?.connection, 'saml');
    assert.equal(byRay.get(attempts[0]?.reply.rayId)?.country, 'GB');
    const times = events.map((event) => event.created_at ?? '');
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    const oldest = await client.zeroTrust.access.logs.accessRequests.list({ account_id: ACCOUNT, limit: 2, direction: 'asc', since: startedAt, until: until() });
    assert.deepEqual(oldest.map((event) => event.ray_id), [attempts[0]?.reply.rayId, attempts[1]?.reply.rayId]);
  });

  it("curl with the documentation's example and X-Auth-Email/X-Auth-Key gets the same events", async () => {
    const url = `${baseURL}/accounts/${ACCOUNT}/access/logs/access_requests?limit=25&direction=desc&since=${encodeURIComponent(startedAt)}&until=${encodeURIComponent(until())}`;
    const { stdout } = await run('curl', ['--silent', '--show-error', url, '--header', `X-Auth-Email: ${EMAIL}`, '--header', `X-Auth-Key: ${KEY}`]);
    const envelope = JSON.parse(stdout) as { success: boolean; result: AccessLogView[]; result_info: { total_count: number } };
    assert.equal(envelope.success, true);
    assert.deepEqual(new Set(envelope.result.map((event) => event.ray_id)), new Set(attempts.map((attempt) => attempt.reply.rayId)));
    assert.equal(envelope.result_info.total_count, attempts.length);
    const denied = envelope.result.find((event) => event.user_email === 'carol@example.com');
    assert.equal(denied?.deny_reason, 'token expired');
    const refused = await run('curl', ['--silent', `${baseURL}/accounts/${ACCOUNT}/access/logs/access_requests?limit=5000`, '--header', `X-Auth-Email: ${EMAIL}`, '--header', `X-Auth-Key: ${KEY}`]);
    assert.match(refused.stdout, /"code":1001,"message":"limit=\\"5000\\" is not valid/);
  });

  it('no JWT appears anywhere: not in what is served, nor in the index file', async () => {
    const { stdout } = await run('curl', ['--silent', `${baseURL}/accounts/${ACCOUNT}/access/logs/access_requests?limit=1000`, '--header', `Authorization: Bearer ${TOKEN}`]);
    const stored = ['access.sqlite', 'access.sqlite-wal'].map((file) => join(dir, file)).filter((file) => existsSync(file)).map((file) => readFileSync(file).toString('latin1'));
    for (const attempt of attempts.filter((a) => a.token !== undefined)) {
      for (const part of (attempt.token ?? '').split('.')) {
        assert.ok(!stdout.includes(part), 'a token part is served');
        for (const text of stored) assert.ok(!text.includes(part), 'a token part is in the index file');
      }
    }
    assert.doesNotMatch(stdout, JWT);
  });

  it('a restarted index catches up from its file: the same events, none twice', async () => {
    await index.close();
    index = createAccessIndex({ kafka, logger, path: join(dir, 'access.sqlite') });
    await index.ready();
    const parsed = parseAccessLogQuery(ACCOUNT, { limit: '1000' });
    assert.ok(parsed.ok);
    assert.equal(index.store.query(parsed.query).total, attempts.length);
  });
});
