// `sluice edge --config FILE` meets hostile input: refused heads, other hosts' targets and credentials still leave the right records in real Kafka, and nothing more.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_ISSUER, loadOrCreateDevSigningKey, startDemoOrigin } from '@sluice/edge';
import type { DemoOrigin, DevSigningKey } from '@sluice/edge';
import { endOffsets, ensureTopics } from '@sluice/kafka';
import type { PartitionOffset } from '@sluice/kafka';
import { deriveHexId, topicFor, ZONE_ID_HEADER } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import type { Kafka } from 'kafkajs';
import { gatewayRequest, readDatasetRecords } from '../../src/edge-traffic.js';
import { startEdgeProcess } from '../../src/edge-process.js';
import { runSluice } from '../../src/run-sluice.js';
import { runTag, testEnv, testKafka } from '../../src/test-env.js';

const tag = runTag();
const ZONE = deriveHexId(`zone:edge-hostile-${tag}`);
const ACCOUNT = deriveHexId(`account:edge-hostile-${tag}`);
const WIKI = `wiki-${tag}.example.com`;

/** Raw bytes no well-behaved client would send; resolves with the status and RayID once the gateway closes the connection. */
function sendRaw(port: number, bytes: string): Promise<{ status: number; rayId: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), rayId: /\r\ncf-ray: ([0-9a-f]{16})\r\n/i.exec(text)?.[1] ?? '' }));
  });
}

describe('sluice edge against hostile requests, publishing to real Kafka', () => {
  const env = testEnv();
  let kafka: Kafka;
  let dir: string;
  let origin: DemoOrigin;
  let key: DevSigningKey;
  let child: ChildProcess;
  let port: number;
  let stderr: () => string = () => '';
  let from: PartitionOffset[];

  const config = (identity: Record<string, unknown>) =>
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      account_id: ACCOUNT,
      identity: { issuer: DEV_ISSUER, ...identity },
      apps: [{ name: 'wiki', hostnames: [WIKI], origin: origin.url, zone: { id: ZONE, name: 'wiki.example.com' }, aud: 'wiki-aud', allow: { email_domains: ['example.com'] } }],
      // A zone that names credentials: the configuration is valid, and they are logged redacted.
      custom_fields: { [ZONE]: { request_fields: [{ name: 'authorization' }, { name: 'cf-access-jwt-assertion' }], cookie_fields: [{ name: 'CF_Authorization' }] } },
      kafka: { brokers: env.brokers.join(',') },
      spool: { dir: 'spool' },
    });

  before(async () => {
    kafka = testKafka(env, 'edge-hostile-e2e');
    await ensureTopics(kafka, [{ topic: topicFor('http_requests'), numPartitions: 6 }]);
    const admin = kafka.admin();
    await admin.connect();
    from = await endOffsets(admin, topicFor('http_requests'));
    await admin.disconnect();
    dir = mkdtempSync(join(tmpdir(), 'sluice-edge-hostile-'));
    key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
    origin = await startDemoOrigin({ record: true });
    writeFileSync(join(dir, 'edge.json'), config({ jwks_file: 'jwks.json' }));
    const edge = await startEdgeProcess(join(dir, 'edge.json'));
    child = edge.child;
    port = edge.port;
    stderr = edge.stderr;
  });

  after(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await origin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says at start that the zone\'s credential fields are logged as REDACTED', () => {
    assert.match(stderr(), /name credentials; their values are logged as REDACTED: request header authorization; request header cf-access-jwt-assertion; cookie CF_Authorization/);
  });

  it('logs refused heads, refused targets and credentials as the issue asks, one record per RayID', async () => {
    const token = await key.mint({ email: 'alice@example.com', audience: 'wiki-aud' });
    const tooLarge = await sendRaw(port, `GET /flood HTTP/1.1\r\nHost: ${WIKI}\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n`);
    const badLine = await sendRaw(port, `GET /a b c\r\nHost: ${WIKI}\r\n\r\n`);
    const otherHost = await gatewayRequest(port, WIKI, 'http://admin.internal/secret', { 'cf-access-jwt-assertion': token });
    const climbing = await gatewayRequest(port, WIKI, '/%2e%2e/etc/passwd', { 'cf-access-jwt-assertion': token });
    const allowed = await gatewayRequest(port, WIKI, `/echo?token=${token}`, { cookie: `CF_Authorization=${token}`, authorization: 'Bearer opaque-secret' });
    assert.deepEqual([tooLarge.status, badLine.status, otherHost.status, climbing.status, allowed.status], [431, 400, 400, 400, 200]);
    assert.deepEqual(origin.requests.map((r) => r.url), ['/echo?token=' + token], 'only the allowed request reached the app');

    const rays = [tooLarge.rayId, badLine.rayId, otherHost.rayId, climbing.rayId, allowed.rayId];
    const records = await readDatasetRecords(kafka, 'http_requests', { from, header: [ZONE_ID_HEADER, ZONE], until: (got) => rays.every((ray) => got.some((r) => r['RayID'] === ray)) });
    const byRay = (ray: string): DatasetRecord => {
      const found = records.filter((r) => r['RayID'] === ray);
      assert.equal(found.length, 1, `records for RayID ${ray}`);
      return found[0];
    };
    const expect = (ray: string, status: number, rule: string) => {
      const record = byRay(ray);
      assert.equal(record['EdgeResponseStatus'], status);
      assert.equal(record['SecurityAction'], 'block');
      assert.equal(record['SecurityRuleDescription'], rule);
      assert.equal(record['ClientIP'], '127.0.0.1');
    };
    expect(tooLarge.rayId, 431, 'HPE_HEADER_OVERFLOW');
    expect(badLine.rayId, 400, 'HPE_INVALID_CONSTANT');
    expect(otherHost.rayId, 400, 'EDGE_TARGET_HOST_MISMATCH');
    expect(climbing.rayId, 400, 'EDGE_TARGET_ESCAPES_BASE_PATH');
    assert.equal(byRay(tooLarge.rayId)['ClientRequestURI'], '/flood');

    const ok = byRay(allowed.rayId);
    assert.equal(ok['SecurityAction'], 'allow');
    assert.deepEqual(ok['RequestHeaders'], { authorization: 'REDACTED', 'cf-access-jwt-assertion': 'REDACTED' });
    assert.deepEqual(ok['Cookies'], { CF_Authorization: 'REDACTED' });
    assert.equal(ok['ClientRequestURI'], '/echo?token=REDACTED');
    const text = JSON.stringify(records, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    assert.ok(!text.includes(token.split('.')[2]) && !text.includes('opaque-secret'), 'a credential reached Kafka');
  });

  it('refuses to start with a JWKS over plain http:// to a host that is not loopback, naming the field and the URL', async () => {
    writeFileSync(join(dir, 'insecure.json'), config({ jwks_url: 'http://idp.example.com/certs' }));
    const run = await runSluice(['edge', '--config', join(dir, 'insecure.json')]);
    assert.equal(run.code, 2, run.stderr + run.stdout);
    assert.match(run.stdout + run.stderr, /\/identity\/jwks_url: "http:\/\/idp\.example\.com\/certs" is plain http:\/\//);
  });
});
