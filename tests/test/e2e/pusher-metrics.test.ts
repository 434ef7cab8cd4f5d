// `sluice pusher --metrics-port` on real Kafka and S3: the probes answer as Kubernetes expects, the metrics agree with
// what is in S3, the consumer lag falls to 0 once the job has caught up, a real Prometheus scrapes them and evaluates
// the alert rules, and SIGTERM ends the pusher cleanly within 30 s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { runLoadgen, syntheticTraffic, syntheticZone } from '@sluice/edge';
import { DEFAULT_DATASET_PARTITIONS } from '@sluice/kafka';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import { countRaysInObjects, createTestBucket, readStoredObjects, runTag, s3DestinationConf, SLUICE_BIN, testEnv, testKafka, testS3, waitUntil } from '../../src/index.js';
import { startPrometheus } from '../../src/prometheus-server.js';

const RECORDS = 6_000;
const env = testEnv();
const tag = runTag();
const zones = [`metrics-${tag}.example`, `other-${tag}.example`];
const kept = syntheticZone(zones[0] ?? '');
const jobId = 700_000 + Number.parseInt(tag.slice(0, 5), 16);
const jobName = `metrics-${tag}`;
const bucket = `e2e-metrics-${tag}`;
const startTimeMs = Date.now();
const seed = 4242;
let kafka: Kafka;
let s3: S3Client;
let pusher: ChildProcess | undefined;
let output = '';
let metricsUrl = '';
let exit: Promise<number | null>;

/** The value of one series in a scrape; undefined when absent. */
function sample(text: string, name: string, labels: string): number | undefined {
  const prefix = `${name}{${labels}} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

/** Every series of `name` for this job, summed (the lag has one per partition). */
function sumOf(text: string, name: string): { sum: number; series: number } {
  const lines = text.split('\n').filter((l) => l.startsWith(`${name}{job_id="${jobId}",`));
  return { sum: lines.reduce((total, l) => total + Number(l.slice(l.lastIndexOf(' ') + 1)), 0), series: lines.length };
}

const scrape = async (): Promise<string> => (await fetch(`${metricsUrl}/metrics`)).text();
const job = `job_id="${jobId}",job_name="${jobName}"`;

function keptRays(): string[] {
  const traffic = syntheticTraffic({ zones, seed, startTimeMs });
  const rays: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const { zone, record } = traffic.next().value;
    if (zone.zoneId === kept.zoneId) rays.push(String(record['RayID']));
  }
  return rays;
}

before(async () => {
  kafka = testKafka(env, 'e2e-metrics');
  s3 = testS3(env);
  await createTestBucket(s3, bucket);
  await runLoadgen({ kafka, records: RECORDS, zones, seed, startTimeMs, ratePerSecond: 20_000 });
  const jobsFile = join(await mkdtemp(join(tmpdir(), 'sluice-e2e-metrics-')), 'jobs.json');
  await writeFile(jobsFile, JSON.stringify({ jobs: [{
    id: jobId,
    name: jobName,
    dataset: 'http_requests',
    zone_id: kept.zoneId,
    enabled: true,
    destination_conf: s3DestinationConf(env, bucket, 'metrics/{DATE}'),
    output_options: { field_names: ['RayID', 'EdgeStartTimestamp'] },
    max_upload_records: 1_000,
    max_upload_interval_seconds: 2,
    start_from: new Date(startTimeMs - 5_000).toISOString(),
  }] }));
  pusher = spawn(process.execPath, [SLUICE_BIN, 'pusher', '--jobs', jobsFile, '--metrics-port', '0', '--threads', '2', '--session-timeout', '6'], {
    env: { ...process.env, SLUICE_MIN_UPLOAD_INTERVAL_SECONDS: '1', KAFKA_BROKERS: env.brokers.join(',') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pusher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  pusher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exit = new Promise((resolve) => pusher?.on('close', (code) => resolve(code)));
  await waitUntil('the pusher prints where its metrics are', () => {
    const found = /metrics at (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(output);
    if (found?.[1]) metricsUrl = found[1];
    return metricsUrl !== '';
  }, 30_000).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; it printed:\n${output.slice(-3_000)}`);
  });
});

after(() => {
  if (pusher?.exitCode === null) pusher.kill('SIGKILL');
  s3?.destroy();
});

void test('the pusher is live while it starts, and ready once its jobs run and Kafka answers', async () => {
  assert.equal((await fetch(`${metricsUrl}/healthz`)).status, 200);
  await waitUntil('/readyz answers 200', async () => (await fetch(`${metricsUrl}/readyz`)).status === 200, 60_000);
  assert.equal((await fetch(`${metricsUrl}/status`)).status, 404, 'the metrics port serves no job statuses');
});

void test('delivered records and batches in the metrics are what S3 holds, and the lag falls to 0 once the job caught up', async () => {
  const rays = keptRays();
  let text = '';
  await waitUntil('every record of the zone is delivered and the lag is 0', async () => {
    text = await scrape();
    const lag = sumOf(text, 'sluice_pusher_consumer_lag_records');
    return sample(text, 'sluice_pusher_records_delivered_total', job) === rays.length && lag.series > 0 && lag.sum === 0;
  }, 90_000);
  const objects = await readStoredObjects(s3, bucket);
  const counts = countRaysInObjects(objects);
  assert.equal([...counts.values()].reduce((a, b) => a + b, 0), rays.length, 'S3 holds each record once');
  assert.equal(sample(text, 'sluice_pusher_batches_delivered_total', job), objects.length, 'one batch per object');
  assert.equal(sumOf(text, 'sluice_pusher_consumer_lag_records').series, DEFAULT_DATASET_PARTITIONS, 'a lag figure for each partition of the topic');
  const consumed = sample(text, 'sluice_pusher_records_consumed_total', job) ?? 0;
  assert.ok(consumed >= (sample(text, 'sluice_pusher_records_out_of_scope_total', job) ?? 0) + rays.length, `consumed ${consumed}: every record of the zone, and the others read past`);
  assert.equal(sumOf(text, 'sluice_pusher_delivery_duration_seconds_count').sum, objects.length, 'a latency observed for each delivery');
  assert.equal(Number(/^sluice_pusher_threads (\d+)$/m.exec(text)?.[1]), 2, 'both threads run');
  assert.match(text, /^nodejs_eventloop_lag_seconds /m, 'process metrics are there');
  assert.match(text, /^process_resident_memory_bytes /m);
  assert.doesNotMatch(text, new RegExp(bucket), 'no destination in the metrics');
});

void test('a real Prometheus scrapes the pusher, sees what it delivered, and evaluates every alert rule without error', async () => {
  const prometheus = await startPrometheus({ targets: { 'sluice-pusher': metricsUrl.replace('http://', '') }, ruleFiles: [fileURLToPath(new URL('../../../../infra/prometheus/alerts.yml', import.meta.url))] });
  try {
    const delivered = keptRays().length;
    let seen: number | undefined;
    await waitUntil('Prometheus has scraped the delivered records', async () => {
      seen = (await prometheus.query(`sluice_pusher_records_delivered_total{job_id="${jobId}"}`))[0]?.value;
      return seen === delivered;
    }, 30_000);
    assert.equal((await prometheus.query(`sum(sluice_pusher_consumer_lag_records{job_id="${jobId}"})`))[0]?.value, 0);
    let rules: Awaited<ReturnType<typeof prometheus.rules>> = [];
    await waitUntil('every rule has been evaluated', async () => {
      rules = await prometheus.rules();
      return rules.length > 0 && rules.every((r) => r.health !== 'unknown');
    }, 30_000);
    assert.deepEqual(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError ?? r.health}`), []);
    assert.ok(rules.length >= 10, `${rules.length} rules`);
  } finally {
    await prometheus.stop();
  }
});

void test('SIGTERM stops the pusher within 30 s with exit code 0, its last statuses printed', async () => {
  const sentAt = Date.now();
  pusher?.kill('SIGTERM');
  const code = await Promise.race([exit, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 30_000).unref())]);
  assert.equal(code, 0, `exit after SIGTERM (${Date.now() - sentAt} ms): ${output.slice(-2_000)}`);
  const last = output.trim().split('\n').filter((l) => l.startsWith('{"jobs"')).at(-1);
  assert.ok(last, 'the final statuses line');
  const statuses = (JSON.parse(last) as { jobs: { id: number; records_delivered: number }[] }).jobs;
  assert.equal(statuses.find((s) => s.id === jobId)?.records_delivered, keptRays().length);
});
