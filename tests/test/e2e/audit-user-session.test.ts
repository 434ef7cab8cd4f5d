// Session reconstruction end to end: two users' requests through the real gateway → Kafka → a real pusher job with the
// cf-access-user custom field → real S3 → `sluice audit user` (the CLI binary) against the jobs API, which lists exactly one user's requests, in order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import { createApiServer, createAuthenticator } from '@sluice/api';
import { DEV_ISSUER, loadOrCreateDevSigningKey, startDemoOrigin } from '@sluice/edge';
import type { DemoOrigin } from '@sluice/edge';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import type { StoredJob } from '@sluice/job-store';
import { endOffsets, ensureTopics } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { deriveHexId, topicFor, ZONE_ID_HEADER } from '@sluice/schemas';
import { loopbackDestinations } from '../../src/api-destinations.js';
import { openDashboard, signIn } from '../../src/dashboard-browser.js';
import { startEdgeProcess } from '../../src/edge-process.js';
import { createTestBucket, gatewayRequest, readDatasetRecords, runSluice, runTag, s3DestinationConf, testEnv, testKafka, testS3 } from '../../src/index.js';
import type { GatewayReply } from '../../src/index.js';

const env = testEnv();
const tag = runTag();
const ZONE = deriveHexId(`zone:audit-session-${tag}`);
const ACCOUNT = deriveHexId(`account:audit-session-${tag}`);
const WIKI = `wiki-${tag}.example.com`;
const BUCKET = `e2e-audit-${tag}`;
const JOB_ID = 300_000 + Number.parseInt(tag.slice(0, 5), 16);
const TOKEN = `e2e-audit-token-${tag}`;
const FIELDS = ['ClientIP', 'ClientRequestHost', 'ClientRequestMethod', 'ClientRequestURI', 'EdgeResponseStatus', 'EdgeStartTimestamp', 'RayID', 'RequestHeaders'];
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const PER_USER = 8;

let kafka: Kafka;
let s3: S3Client;
let dir: string;
let origin: DemoOrigin;
let edge: ChildProcess | undefined;
let api: ReturnType<typeof createApiServer> | undefined;
let apiUrl: string;
const startMs = Date.now();
const sent: { user: string; reply: GatewayReply; path: string }[] = [];

before(async () => {
  kafka = testKafka(env, 'e2e-audit');
  s3 = testS3(env);
  await createTestBucket(s3, BUCKET);
  await ensureTopics(kafka, [{ topic: topicFor('http_requests'), numPartitions: 6 }]);
  const admin = kafka.admin();
  await admin.connect();
  const from = await endOffsets(admin, topicFor('http_requests'));
  await admin.disconnect();

  dir = mkdtempSync(join(tmpdir(), 'sluice-audit-e2e-'));
  const key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
  origin = await startDemoOrigin();
  const job = {
    id: JOB_ID,
    name: `audit-${tag}`,
    dataset: 'http_requests',
    zone_id: ZONE,
    enabled: true,
    destination_conf: s3DestinationConf(env, BUCKET, 'http/{DATE}'),
    output_options: { field_names: FIELDS, timestamp_format: 'rfc3339ns' },
    max_upload_records: 1_000,
    start_from: new Date(startMs - 5_000).toISOString(),
  };
  const customFields = { [ZONE]: { request_fields: [{ name: 'cf-access-user' }] } };
  writeFileSync(join(dir, 'jobs.json'), JSON.stringify({ jobs: [job], custom_fields: customFields }));
  writeFileSync(
    join(dir, 'edge.json'),
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      account_id: ACCOUNT,
      identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
      apps: [{ name: 'wiki', hostnames: [WIKI], origin: origin.url, zone: { id: ZONE, name: 'wiki.example.com' }, aud: 'wiki-aud', allow: { email_domains: ['example.com'] } }],
      custom_fields: 'jobs.json',
      kafka: { brokers: env.brokers.join(',') },
      spool: { dir: 'spool' },
    }),
  );
  const gateway = await startEdgeProcess(join(dir, 'edge.json'));
  edge = gateway.child;

  // Interleaved, one at a time, so that the order of issue is the order of EdgeStartTimestamp.
  const tokens: Record<string, string> = { [ALICE]: await key.mint({ email: ALICE, audience: 'wiki-aud' }), [BOB]: await key.mint({ email: BOB, audience: 'wiki-aud' }) };
  for (let i = 0; i < PER_USER; i++) {
    for (const user of [ALICE, BOB]) {
      const path = `/${user.split('@')[0] ?? ''}/page-${i}?q=${i}`;
      const reply = await gatewayRequest(gateway.port, WIKI, path, { 'cf-access-jwt-assertion': tokens[user] ?? '' });
      assert.equal(reply.status, 200, reply.body);
      sent.push({ user, reply, path });
    }
  }
  await readDatasetRecords(kafka, 'http_requests', { from, header: [ZONE_ID_HEADER, ZONE], until: (got) => got.length >= sent.length });
  edge.kill('SIGTERM');

  const pusher = await runSluice(['pusher', '--jobs', join(dir, 'jobs.json'), '--exit-when-idle', '4']);
  assert.equal(pusher.code, 0, pusher.stderr);

  // The jobs API holds the same job and custom fields; it reads S3 through the loopback-allowing address policy, as `sluice api --allow-destination-hosts` would.
  const store = createMemoryJobStore();
  const { start_from: _startFrom, ...stored } = job;
  await store.putJob(stored as StoredJob);
  await store.putCustomFields(ZONE, customFields[ZONE]);
  const destinations = loopbackDestinations();
  api = createApiServer({
    store,
    health: createMemoryHealthStore(),
    registry: destinations.registry,
    addresses: destinations,
    objectStores: destinations.objectStores,
    auth: createAuthenticator({ config: { tokens: [{ name: 'auditor', sha256: sha256(TOKEN), scopes: { [`zones/${ZONE}`]: 'read' } }] } }),
    rateLimit: false,
    logger: createLogger({ name: 'e2e-audit-api', level: 'warn' }),
  });
  apiUrl = `${await api.listen({ port: 0, host: '127.0.0.1' })}/client/v4`;
});

after(async () => {
  if (edge && edge.exitCode === null) edge.kill('SIGKILL');
  await api?.close();
  await origin?.close();
  s3?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const since = (): string => new Date(startMs - 60_000).toISOString();

test("sluice audit user --json lists exactly alice's requests, in the order she made them, and none of bob's", async () => {
  const run = await runSluice(['audit', 'user', ALICE, '--zone', ZONE, '--since', since(), '--api-url', apiUrl, '--api-token', TOKEN, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const { result, result_info: info } = JSON.parse(run.stdout) as { result: { ray_id: string; path: string; method: string; host: string; status: number; client_ip: string; time: string }[]; result_info: Record<string, unknown> };
  const alice = sent.filter((s) => s.user === ALICE);
  assert.deepEqual(result.map((row) => row.ray_id), alice.map((s) => s.reply.rayId));
  assert.deepEqual(result.map((row) => row.path), alice.map((s) => s.path));
  const bobs = new Set(sent.filter((s) => s.user === BOB).map((s) => s.reply.rayId));
  assert.deepEqual(result.filter((row) => bobs.has(row.ray_id)), []);
  for (const row of result) {
    assert.deepEqual([row.method, row.host, row.status, row.client_ip], ['GET', WIKI, 200, '127.0.0.1']);
    assert.match(row.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
  }
  assert.deepEqual([...result.map((row) => row.time)].sort(), result.map((row) => row.time), 'rows are in time order');
  assert.equal(info['job_id'], JOB_ID);
  assert.equal(info['truncated'], false);
  assert.ok(Number(info['objects_scanned']) >= 1);
  assert.ok(!run.stdout.includes(env.secretAccessKey) && !run.stderr.includes(env.secretAccessKey));
});

test('the table shows the same requests in order, and a range that ends before them lists none and reads no object', async () => {
  const table = await runSluice(['audit', 'user', BOB, '--zone', ZONE, '--since', since(), '--api-url', apiUrl, '--api-token', TOKEN]);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^TIME\s+RAY ID\s+METHOD\s+HOST\s+PATH\s+STATUS\s+CLIENT IP$/);
  assert.deepEqual(lines.slice(1).map((row) => row.split(/\s+/)[1]), sent.filter((s) => s.user === BOB).map((s) => s.reply.rayId));
  assert.match(table.stderr, new RegExp(`${PER_USER} requests by ${BOB} \\(job ${JOB_ID}; objects read \\d+, skipped 0\\)`));

  const before = await runSluice(['audit', 'user', ALICE, '--zone', ZONE, '--since', new Date(startMs - 3 * 3_600_000).toISOString(), '--until', new Date(startMs - 2 * 3_600_000).toISOString(), '--api-url', apiUrl, '--api-token', TOKEN, '--json']);
  assert.equal(before.code, 0, before.stderr);
  const answer = JSON.parse(before.stdout) as { result: unknown[]; result_info: Record<string, unknown> };
  assert.deepEqual(answer.result, []);
  assert.equal(answer.result_info['objects_scanned'], 0);
});

test('a bad --since is a usage error naming the flag and its value', async () => {
  const run = await runSluice(['audit', 'user', ALICE, '--zone', ZONE, '--since', 'last tuesday', '--api-url', apiUrl, '--api-token', TOKEN]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--since "last tuesday" is neither an RFC 3339 time/);
});

/** A datetime-local value (local time, to the second), as the Audit form takes it. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

test("the dashboard's Audit view, in Chromium, lists alice's requests in the order she made them, and none of bob's", { timeout: 120_000 }, async () => {
  const browser = await openDashboard(apiUrl.replace(/\/client\/v4$/, ''));
  try {
    const { page } = browser;
    await signIn(page, TOKEN, { zoneId: ZONE });
    await page.waitForSelector('header.top nav');
    await page.goto(`${apiUrl.replace(/\/client\/v4$/, '')}/dash/#/audit`);
    await page.fill('#audit-form input[name=email]', ALICE);
    await page.fill('#audit-form input[name=since]', localInput(startMs - 60_000));
    await page.click('#audit-form button[type=submit]');
    await page.waitForSelector(`#audit-summary:has-text("${PER_USER} requests from job ${JOB_ID}")`, { timeout: 60_000 });
    const rows = await Promise.all((await page.locator('#audit-rows tr').all()).map((row) => row.locator('td').allTextContents()));
    const alice = sent.filter((s) => s.user === ALICE);
    assert.deepEqual(rows.map((cells) => cells[5]), alice.map((s) => s.reply.rayId), 'Ray IDs, in order');
    assert.deepEqual(rows.map((cells) => cells[3]), alice.map((s) => s.path));
    assert.ok(browser.requests.every((url) => url.startsWith(apiUrl.replace(/\/client\/v4$/, ''))), 'no request leaves the API');
    assert.ok(browser.requests.every((url) => !url.includes(TOKEN)), 'the token is never in a URL');
    assert.deepEqual(browser.problems.filter((p) => /Content Security Policy|Refused/.test(p)), []);
  } finally {
    await browser.close();
  }
});
