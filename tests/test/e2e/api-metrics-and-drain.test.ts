// `sluice api` as a process on the Kafka job store, as an operator runs it: its /metrics counted against the requests
// sent, and SIGTERM while destination checks are in flight (S3's answers held back by a proxy) — they are answered
// in full, new requests are refused, and the process exits 0 well within Kubernetes' 30 s grace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { S3Client } from '@aws-sdk/client-s3';
import { createFaultProxy } from '@sluice/destination-conformance';
import type { FaultProxy } from '@sluice/destination-conformance';
import { deriveHexId } from '@sluice/schemas';
import { createTestBucket, listKeys, runTag, s3DestinationConf, startSluiceService, testEnv, testS3, waitUntil } from '../../src/index.js';
import type { SluiceService } from '../../src/index.js';

const env = testEnv();
const tag = runTag();
const TOKEN = `api-drain-${tag}-${runTag()}`;
const ZONE = deriveHexId(`zone:api-drain-${tag}`);
const BUCKET = `api-drain-${tag}`;
/** Long enough to send SIGTERM while every check waits for S3; far inside the 30 s grace. */
const S3_REPLY_DELAY_MS = 3_000;
const CHECKS = 3;
const JOBS_ROUTE = '/client/v4/zones/:zone_id/logpush/jobs';
const JOB_ROUTE = '/client/v4/zones/:zone_id/logpush/jobs/:job_id';

interface Envelope {
  success: boolean;
  result: Record<string, unknown> | Array<Record<string, unknown>> | null;
}

function startApi(): Promise<SluiceService> {
  return startSluiceService({
    args: ['api', '--port', '0', '--host', '127.0.0.1', '--allow-destination-hosts', '127.0.0.1'],
    env: { SLUICE_API_TOKEN: TOKEN, SLUICE_LOG_LEVEL: 'warn' },
    ready: /serving (http:\/\/127\.0\.0\.1:\d+)\/client\/v4/,
  });
}

async function call(api: SluiceService, method: string, path: string, body?: unknown, token = TOKEN): Promise<{ status: number; envelope: Envelope }> {
  const response = await fetch(`${api.found}/client/v4/zones/${ZONE}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, envelope: (await response.json()) as Envelope };
}

/** The value of one sample line of /metrics, 0 when the series is absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('sluice api as a process', () => {
  let s3: S3Client;
  let proxy: FaultProxy;
  let api: SluiceService;
  const created: number[] = [];

  before(async () => {
    s3 = testS3(env);
    await createTestBucket(s3, BUCKET);
    proxy = await createFaultProxy(env.s3Endpoint);
    api = await startApi();
  });

  after(async () => {
    await api?.stop();
    // Jobs are created disabled; delete them so that the shared store keeps no leftovers.
    if (created.length > 0) {
      const again = await startApi();
      for (const id of created) await call(again, 'DELETE', `/logpush/jobs/${id}`).catch(() => undefined);
      await again.stop();
    }
    await proxy?.close();
    s3?.destroy();
  });

  test('/metrics counts every answer by route pattern and status, and the refused credentials, and names no zone or token', async () => {
    const conf = s3DestinationConf(env, BUCKET, 'jobs');
    for (let i = 0; i < 3; i++) {
      const { status, envelope } = await call(api, 'POST', '/logpush/jobs', { name: `metrics-${i}`, dataset: 'http_requests', destination_conf: conf, output_options: { field_names: ['RayID'] } });
      assert.equal(status, 200, JSON.stringify(envelope));
      created.push(Number((envelope.result as Record<string, unknown>)['id']));
    }
    for (let i = 0; i < 4; i++) assert.equal((await call(api, 'GET', '/logpush/jobs')).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await call(api, 'GET', '/logpush/jobs/999999999')).status, 404);
    for (let i = 0; i < 5; i++) assert.equal((await call(api, 'GET', '/logpush/jobs', undefined, `wrong-${tag}`)).status, 401);
    const listed = await call(api, 'GET', '/logpush/jobs');
    assert.deepEqual((listed.envelope.result as Array<Record<string, unknown>>).map((job) => job['id']).sort(), [...created].sort(), 'the three jobs, read back through the Kafka view');

    const metrics = await (await fetch(`${api.found}/metrics`)).text();
    assert.equal(sample(metrics, `sluice_api_requests_total{route="${JOBS_ROUTE}",method="POST",status="200"}`), 3);
    assert.equal(sample(metrics, `sluice_api_requests_total{route="${JOBS_ROUTE}",method="GET",status="200"}`), 5, 'four lists and the read-back');
    assert.equal(sample(metrics, `sluice_api_requests_total{route="${JOB_ROUTE}",method="GET",status="404"}`), 2);
    assert.equal(sample(metrics, `sluice_api_requests_total{route="${JOBS_ROUTE}",method="GET",status="401"}`), 5);
    assert.equal(sample(metrics, 'sluice_api_auth_failures_total{status="401"}'), 5);
    assert.equal(sample(metrics, `sluice_api_request_duration_seconds_count{route="${JOBS_ROUTE}",method="GET"}`), 10, 'every GET of the list, refused or not');
    const catchUp = sample(metrics, 'sluice_api_job_store_catch_up_seconds');
    assert.ok(catchUp > 0 && catchUp < 2, `the job store's view caught up within the scrape (${catchUp} s)`);
    assert.match(metrics, /^process_resident_memory_bytes \d+/m);
    for (const secret of [ZONE, TOKEN, env.secretAccessKey, BUCKET]) assert.ok(!metrics.includes(secret), `/metrics holds no ${secret}`);
  });

  test('SIGTERM lets the destination checks in flight finish, refuses new requests, and exits 0 within the grace period', async () => {
    const conf = s3DestinationConf({ ...env, s3Endpoint: proxy.url }, BUCKET, 'drain');
    proxy.delayReplies(S3_REPLY_DELAY_MS, (request) => request.method === 'PUT');
    const checks = Array.from({ length: CHECKS }, () => call(api, 'POST', '/logpush/validate/destination', { destination_conf: conf }));
    // S3 has stored every test object; its answers are held, so each check is in flight inside the API.
    await waitUntil('every check to wait on S3', () => proxy.heldReplies() >= CHECKS, 30_000);
    const stopping = api.stop();
    await waitUntil('the API to stop listening', () => /SIGTERM: stopping/.test(api.output()), 5_000);
    const late = await fetch(`${api.found}/client/v4/zones/${ZONE}/logpush/jobs`, { headers: { authorization: `Bearer ${TOKEN}` } }).then(
      (response) => response.status,
      (error: unknown) => String((error as { cause?: { code?: string } }).cause?.code ?? error),
    );
    assert.ok(late === 503 || late === 'ECONNREFUSED', `a request after SIGTERM is refused, got ${String(late)}`);

    const answers = await Promise.all(checks);
    for (const { status, envelope } of answers) {
      assert.equal(status, 200, JSON.stringify(envelope));
      assert.deepEqual(envelope.result, { valid: true, message: '' });
    }
    const stop = await stopping;
    assert.equal(stop.code, 0, api.output().slice(-2_000));
    assert.ok(stop.ms < 30_000, `stopped in ${stop.ms} ms`);
    assert.ok(stop.ms >= S3_REPLY_DELAY_MS / 2, `it waited for the checks in flight (${stop.ms} ms)`);
    assert.ok((await listKeys(s3, BUCKET)).some((key) => key.startsWith('drain/')), 'the checks wrote their test object');
  });
});
