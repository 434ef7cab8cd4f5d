// `sluice edge --config FILE` in front of a real origin, publishing to the real Kafka broker: who may pass, what the app sees, what is logged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_ISSUER, forgedTokens, loadOrCreateDevSigningKey, startDemoOrigin } from '@sluice/edge';
import type { DemoOrigin, DevSigningKey } from '@sluice/edge';
import { endOffsets, ensureTopics } from '@sluice/kafka';
import type { PartitionOffset } from '@sluice/kafka';
import { ACCOUNT_ID_HEADER, deriveHexId, topicFor, ZONE_ID_HEADER } from '@sluice/schemas';
import type { Kafka } from 'kafkajs';
import { countByRayId, gatewayRequest, readDatasetRecords, runTag, testEnv, testKafka } from '../../src/index.js';
import { startEdgeProcess } from '../../src/edge-process.js';
import type { GatewayReply } from '../../src/index.js';

const tag = runTag();
const AUDIT_ZONE = deriveHexId(`zone:edge-audit-${tag}`);
const PLAIN_ZONE = deriveHexId(`zone:edge-plain-${tag}`);
const ACCOUNT = deriveHexId(`account:edge-${tag}`);
const WIKI = `wiki-${tag}.example.com`;
const CRM = `crm-${tag}.example.com`;

describe('sluice edge, in front of a real app, publishing to real Kafka', () => {
  const env = testEnv();
  let kafka: Kafka;
  let dir: string;
  let origin: DemoOrigin;
  let key: DevSigningKey;
  let child: ChildProcess;
  let port: number;
  let stderr: () => string = () => '';
  const from: Record<string, PartitionOffset[]> = {};

  before(async () => {
    kafka = testKafka(env, 'edge-e2e');
    await ensureTopics(kafka, ['http_requests', 'access_requests'].map((d) => ({ topic: topicFor(d as 'http_requests'), numPartitions: 6 })));
    const admin = kafka.admin();
    await admin.connect();
    from['http_requests'] = await endOffsets(admin, topicFor('http_requests'));
    from['access_requests'] = await endOffsets(admin, topicFor('access_requests'));
    await admin.disconnect();

    dir = mkdtempSync(join(tmpdir(), 'sluice-edge-e2e-'));
    key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
    origin = await startDemoOrigin({ record: true });
    const app = (name: string, host: string, zone: string) => ({ name, hostnames: [host], origin: origin.url, zone: { id: zone, name: `${name}.example.com` }, aud: `${name}-aud`, allow: { email_domains: ['example.com'] } });
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify({ jobs: [], custom_fields: { [AUDIT_ZONE]: { request_fields: [{ name: 'cf-access-user' }] } } }));
    writeFileSync(
      join(dir, 'edge.json'),
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 0 },
        account_id: ACCOUNT,
        identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
        apps: [app('wiki', WIKI, AUDIT_ZONE), app('crm', CRM, PLAIN_ZONE)],
        // The pusher's jobs file: one list of custom fields for both.
        custom_fields: 'jobs.json',
        kafka: { brokers: env.brokers.join(',') },
        spool: { dir: 'spool' },
      }),
    );
    const edge = await startEdgeProcess(join(dir, 'edge.json'));
    child = edge.child;
    port = edge.port;
    stderr = edge.stderr;
  });

  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
    }
    await origin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const allowed: GatewayReply[] = [];
  const refused: { reply: GatewayReply; code: string }[] = [];

  it('forwards valid users with their identity, and refuses every forged token before the app sees it', async () => {
    for (const email of ['alice@example.com', 'bob@example.com']) {
      const token = await key.mint({ email, audience: 'wiki-aud' });
      for (let i = 0; i < 3; i++) {
        // A spoofed identity header rides along every time; the app must never see it.
        const reply = await gatewayRequest(port, WIKI, `/echo?n=${i}`, { 'cf-access-jwt-assertion': token, 'cf-access-user': 'root@example.com' });
        assert.equal(reply.status, 200, reply.body);
        const seen = JSON.parse(reply.body) as { headers: Record<string, string> };
        assert.equal(seen.headers['cf-access-user'], email);
        assert.equal(seen.headers['cf-access-authenticated-user-email'], email);
        assert.equal(seen.headers['cf-ray'], reply.rayId);
        allowed.push(reply);
      }
    }
    const crmToken = await key.mint({ email: 'alice@example.com', audience: 'crm-aud' });
    const crm = await gatewayRequest(port, CRM, '/', { cookie: `CF_Authorization=${crmToken}` });
    assert.equal(crm.status, 200);
    allowed.push(crm);

    for (const attack of await forgedTokens(key, 'mallory@example.com', 'wiki-aud')) {
      const reply = await gatewayRequest(port, WIKI, `/attack/${attack.name}`, { 'cf-access-jwt-assertion': attack.token });
      assert.equal(reply.status, attack.expectedStatus, `${attack.name}: ${reply.body}`);
      refused.push({ reply, code: attack.expectedCode });
    }
    const missing = await gatewayRequest(port, WIKI, '/attack/no-token');
    assert.equal(missing.status, 401);
    refused.push({ reply: missing, code: 'IDENTITY_TOKEN_MISSING' });
    assert.deepEqual(origin.requests.filter((r) => r.url.startsWith('/attack/')).map((r) => r.url), []);
  });

  it('publishes exactly one http_requests record per request, with cf-access-user only where the zone lists it', async () => {
    const expected = new Set([...allowed, ...refused.map((r) => r.reply)].map((r) => r.rayId));
    const records = [
      ...(await readDatasetRecords(kafka, 'http_requests', { from: from['http_requests'], header: [ZONE_ID_HEADER, AUDIT_ZONE], until: (got) => got.length >= expected.size - 1 })),
      ...(await readDatasetRecords(kafka, 'http_requests', { from: from['http_requests'], header: [ZONE_ID_HEADER, PLAIN_ZONE], until: (got) => got.length >= 1 })),
    ];
    const counts = countByRayId(records);
    assert.deepEqual([...counts.keys()].sort(), [...expected].sort());
    assert.ok([...counts.values()].every((n) => n === 1), 'a RayID was published twice');

    for (const reply of allowed.slice(0, 6)) {
      const record = records.find((r) => r['RayID'] === reply.rayId)!;
      const user = (JSON.parse(reply.body) as { headers: Record<string, string> }).headers['cf-access-user'];
      assert.deepEqual(record['RequestHeaders'], { 'cf-access-user': user });
      assert.equal(record['ClientRequestHost'], WIKI);
      assert.equal(record['EdgeResponseStatus'], 200);
      assert.equal(record['SecurityAction'], 'allow');
      assert.equal(record['OriginResponseStatus'], 200);
      assert.equal(record['ZoneName'], 'wiki.example.com');
      assert.equal(record['_zone_id'], AUDIT_ZONE);
      assert.equal(record['ClientIP'], '127.0.0.1');
      assert.match(String(record['ClientRequestURI']), /^\/echo\?n=\d$/);
      assert.equal(typeof record['EdgeStartTimestamp'], 'bigint');
    }
    const crm = records.find((r) => r['RayID'] === allowed[6].rayId)!;
    assert.deepEqual(crm['RequestHeaders'], {}, 'the crm zone lists no custom fields');
    for (const { reply, code } of refused) {
      const record = records.find((r) => r['RayID'] === reply.rayId)!;
      assert.equal(record['SecurityAction'], 'block');
      assert.equal(record['SecurityRuleDescription'], code);
      assert.deepEqual(record['RequestHeaders'], {});
    }
  });

  it('publishes a login per token and a denied access_requests event per refused request', async () => {
    const events = await readDatasetRecords(kafka, 'access_requests', { from: from['access_requests'], header: [ACCOUNT_ID_HEADER, ACCOUNT], until: (got) => got.length >= 3 + refused.length });
    const logins = events.filter((e) => e['Allowed'] === true);
    assert.deepEqual(logins.map((e) => `${String(e['Email'])} ${String(e['AppDomain'])}`).sort(), [`alice@example.com ${CRM}`, `alice@example.com ${WIKI}`, `bob@example.com ${WIKI}`]);
    const denied = events.filter((e) => e['Allowed'] === false);
    assert.deepEqual(denied.map((e) => e['RayID']).sort(), refused.map((r) => r.reply.rayId).sort());
    for (const event of denied) assert.equal(event['Action'], 'login');
  });

  it('stops cleanly on SIGTERM and reports what it published', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr());
    assert.match(stderr(), /edge: stopped; \d+ records published, 0 waiting in the spool, 0 dropped/);
  });
});
