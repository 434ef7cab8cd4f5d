// Two ways a destination can fail a job for good, on real Kafka: it refuses some records (they go to the
// dead-letter topic, the rest are delivered), or it keeps failing (the job disables itself and commits
// nothing it did not deliver, so re-enabling delivers everything).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { Kafka } from 'kafkajs';
import type { S3Client } from '@aws-sdk/client-s3';
import { runLoadgen, syntheticZone } from '@sluice/edge';
import { DEAD_LETTER_TOPIC } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { parseJobsFile } from '@sluice/pipeline';
import type { PushJob } from '@sluice/pipeline';
import { createDestinationRegistry, defaultPlugins } from '@sluice/destinations';
import type { DestinationPlugin, DestinationRegistry, RefusedRecord } from '@sluice/destinations';
import { createFaultProxy } from '@sluice/destination-conformance';
import type { FaultProxy } from '@sluice/destination-conformance';
import { createPusher } from '@sluice/pusher';
import type { JobStatus, Pusher } from '@sluice/pusher';
import { createTestBucket, parseExactJson, readStoredObjects, runTag, s3DestinationConf, testEnv, testKafka, testS3 } from '../../src/index.js';

const RECORDS = 3_000;
const env = testEnv();
const tag = runTag();
const zone = syntheticZone(`refusals-${tag}.example`);
const baseId = 300_000 + Number.parseInt(tag.slice(0, 4), 16);
const startTimeMs = Date.now();
let kafka: Kafka;
let s3: S3Client;

/**
 * A test double for a destination that refuses some records for good, as a search index refuses a
 * document that breaks its mapping (the real one is exercised by the Elasticsearch tests): every
 * record at an offset divisible by 7 is refused, the rest are "stored" in memory.
 */
const stored: string[] = [];
const refusedSent: RefusedRecord[] = [];
const refusingPlugin: DestinationPlugin<string> = {
  kind: 'refusing',
  schemes: ['refusing'],
  parse: (conf) => ({ ok: true, config: conf }),
  create: () => ({
    kind: 'refusing',
    description: 'refusing://test',
    deliver(batch) {
      const lines = gunzipSync(batch.body).toString('utf8').split('\n').filter((line) => line !== '');
      const offsets = batch.origin?.offsets ?? [];
      assert.equal(lines.length, offsets.length, 'a batch carries one offset per record');
      const refused: RefusedRecord[] = [];
      lines.forEach((line, i) => {
        const offset = offsets[i] ?? -1;
        if (offset % 7 === 0) refused.push({ offset, code: 'mapper_parsing_exception', reason: `failed to parse field [RayID] at offset ${offset}`, document: line });
        else stored.push(line);
      });
      refusedSent.push(...refused);
      return Promise.resolve({ status: 'delivered', location: `refusing://${batch.suffix}`, refused });
    },
    close: () => Promise.resolve(),
  }),
};

const registry: DestinationRegistry = createDestinationRegistry([...defaultPlugins, refusingPlugin]);

function jobs(list: object[]): PushJob[] {
  return parseJobsFile(JSON.stringify({ jobs: list }), 'test jobs', { checkDestination: (conf) => registry.check(conf), minUploadIntervalSeconds: 1 }).jobs;
}

function job(id: number, destinationConf: string): object {
  return {
    id,
    name: `job-${id}`,
    dataset: 'http_requests',
    zone_id: zone.zoneId,
    enabled: true,
    destination_conf: destinationConf,
    output_options: { field_names: ['RayID', 'ClientIP'] },
    max_upload_records: 1_000,
    max_upload_interval_seconds: 1,
    start_from: new Date(startTimeMs - 5_000).toISOString(),
  };
}

async function runUntil(pusher: Pusher, done: () => boolean, limitMs: number): Promise<void> {
  await pusher.start();
  const deadline = Date.now() + limitMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  await pusher.stop();
}

before(async () => {
  kafka = testKafka(env, 'e2e-refusals');
  s3 = testS3(env);
  const summary = await runLoadgen({ kafka, records: RECORDS, zones: [zone.name], seed: 77, startTimeMs });
  assert.equal(summary.published, RECORDS);
});

after(() => s3?.destroy());

void test('records a destination refuses are dead-lettered with their reason and origin, and the rest are delivered', async () => {
  const id = baseId;
  let status: JobStatus | undefined;
  const pusher = createPusher({ jobs: jobs([job(id, 'refusing://test')]), kafka, destinations: registry, logger: createLogger({ name: 'e2e', level: 'silent' }) });
  await runUntil(pusher, () => ((status = pusher.statuses()[0]), (status?.records_delivered ?? 0) + (status?.records_dead_lettered ?? 0) >= RECORDS), 60_000);
  status = pusher.statuses()[0];

  assert.ok(refusedSent.length > RECORDS / 10, `about 1 in 7 records refused, got ${refusedSent.length}`);
  assert.equal(status?.records_dead_lettered, refusedSent.length);
  assert.equal(status?.records_delivered, RECORDS - refusedSent.length, 'records_delivered counts only what the destination took');
  assert.equal(stored.length + refusedSent.length, RECORDS);

  // Every refused record is in the dead-letter topic, as sent, with the destination's reason.
  const wanted = new Map(refusedSent.map((r) => [String(r.offset) + r.document, r]));
  const consumer = kafka.consumer({ groupId: `e2e-refusals-dlq-${tag}` });
  await consumer.connect();
  await consumer.subscribe({ topic: DEAD_LETTER_TOPIC, fromBeginning: true });
  const found = new Map<string, Record<string, string>>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`found ${found.size} of ${wanted.size} dead letters within 30 s`)), 30_000);
    void consumer.run({
      eachMessage: ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        if (headers['sluice-dlq-job-id'] === String(id)) found.set((headers['sluice-dlq-offset'] ?? '') + String(message.value), headers);
        if (found.size >= wanted.size) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  assert.deepEqual([...found.keys()].sort(), [...wanted.keys()].sort());
  for (const headers of found.values()) {
    assert.equal(headers['sluice-dlq-reason-code'], 'mapper_parsing_exception');
    assert.match(headers['sluice-dlq-reason'] ?? '', /failed to parse field \[RayID\] at offset \d+/);
    assert.equal(headers['sluice-dlq-topic'], 'sluice.http_requests');
    assert.equal(Number(headers['sluice-dlq-offset']) % 7, 0);
  }
});

void test('a job whose destination keeps failing disables itself, and re-enabled it delivers every record once', async () => {
  const id = baseId + 1;
  const bucket = `e2e-disable-${tag}`;
  await createTestBucket(s3, bucket);
  const proxy: FaultProxy = await createFaultProxy(env.s3Endpoint);
  try {
    proxy.failNext(1_000_000, 503);
    const failingConf = s3DestinationConf({ ...env, s3Endpoint: proxy.url }, bucket, 'logs');
    const failing = createPusher({
      jobs: jobs([job(id, failingConf)]),
      kafka,
      destinations: registry,
      logger: createLogger({ name: 'e2e', level: 'silent' }),
      delivery: { autoDisableAfterMs: 3_000, tickMs: 200, retryPolicy: { initialDelayMs: 100, maxDelayMs: 500, multiplier: 2, maxAttempts: Infinity } },
    });
    await failing.start();
    const deadline = Date.now() + 30_000;
    let status = failing.statuses()[0];
    while (status?.enabled !== false && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = failing.statuses()[0];
    }
    await failing.stop();
    assert.equal(status?.enabled, false, 'the job disabled itself');
    assert.match(status?.disabled_reason ?? '', /failing for \d+ s/);
    assert.ok(status?.last_error !== null && status?.failing_since !== null, 'last_error and failing_since are set');
    assert.match(status?.error_message ?? '', /503|Unavailable|ServiceUnavailable/i);
    assert.ok(!(status?.error_message ?? '').includes(env.secretAccessKey), 'the secret key is not in error_message');
    assert.equal(status?.records_delivered, 0);
    const retries = Object.values(status?.retries_by_code ?? {}).reduce((a, b) => a + b, 0);
    assert.ok(retries > 0, 'it retried before giving up');
    assert.equal((await readStoredObjects(s3, bucket)).length, 0, 'nothing reached the bucket');
  } finally {
    await proxy.close();
  }

  // Re-enabled against the real bucket: the committed offsets held at the start, so every record comes.
  const healthy = createPusher({ jobs: jobs([job(id, s3DestinationConf(env, bucket, 'logs'))]), kafka, destinations: registry, logger: createLogger({ name: 'e2e', level: 'silent' }) });
  await runUntil(healthy, () => (healthy.statuses()[0]?.records_delivered ?? 0) >= RECORDS, 60_000);
  const rays = new Map<string, number>();
  for (const object of await readStoredObjects(s3, bucket)) {
    for (const line of object.lines) {
      const ray = String(parseExactJson(line)['RayID']);
      rays.set(ray, (rays.get(ray) ?? 0) + 1);
    }
  }
  assert.equal(rays.size, RECORDS, 'every record of the zone is in the bucket');
  assert.deepEqual([...rays.values()].filter((n) => n !== 1), [], 'no record stored twice');
});
