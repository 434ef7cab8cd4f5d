// The walking skeleton end to end: loadgen → real Kafka → `sluice pusher` → gzip NDJSON in real S3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoadgen, syntheticTraffic, syntheticZone } from '@sluice/edge';
import { committedOffsets, createRecordProducer, endOffsets, DEAD_LETTER_TOPIC } from '@sluice/kafka';
import { ZONE_ID_HEADER, topicFor } from '@sluice/schemas';
import type { Kafka } from 'kafkajs';
import type { S3Client } from '@aws-sdk/client-s3';
import { createTestBucket, parseExactJson, readStoredObjects, runSluice, runTag, s3DestinationConf, testEnv, testKafka, testS3 } from '../../src/index.js';
import type { SluiceRun, StoredObject } from '../../src/index.js';

const RECORDS = 20_000;
const FIELDS = ['ClientIP', 'ClientRequestHost', 'ClientRequestURI', 'EdgeStartTimestamp', 'RayID'];
const SEED = 4242;

const env = testEnv();
const tag = runTag();
const zones = [`a-${tag}.example`, `b-${tag}.example`];
const kept = syntheticZone(zones[0]);
const jobId = 100_000 + Number.parseInt(tag.slice(0, 5), 16);
const bucket = `e2e-${tag}`;
const startTimeMs = Date.now();
let kafka: Kafka;
let s3: S3Client;
let run: SluiceRun;
let objects: StoredObject[];

before(async () => {
  kafka = testKafka(env, 'e2e-skeleton');
  s3 = testS3(env);
  await createTestBucket(s3, bucket);
  const summary = await runLoadgen({ kafka, records: RECORDS, zones, seed: SEED, startTimeMs });
  assert.equal(summary.published, RECORDS);
  // One record nobody can decode, in the kept zone: it must be dead-lettered, not fatal.
  const producer = await createRecordProducer(kafka);
  await producer.send(topicFor('http_requests'), [{ value: Buffer.from('{"ClientIP": oops'), headers: { [ZONE_ID_HEADER]: kept.zoneId } }]);
  await producer.close();

  const dir = await mkdtemp(join(tmpdir(), 'sluice-e2e-'));
  const jobsFile = join(dir, 'jobs.json');
  const job = {
    id: jobId,
    name: `e2e-${tag}`,
    dataset: 'http_requests',
    zone_id: kept.zoneId,
    enabled: true,
    destination_conf: s3DestinationConf(env, bucket, 'http/{DATE}'),
    output_options: { field_names: FIELDS },
    max_upload_records: 1_000,
    start_from: new Date(startTimeMs - 5_000).toISOString(),
  };
  await writeFile(jobsFile, JSON.stringify({ jobs: [job] }));
  run = await runSluice(['pusher', '--jobs', jobsFile, '--exit-when-idle', '4']);
  objects = await readStoredObjects(s3, bucket);
});

after(() => s3?.destroy());

function expectedLines(): Map<string, Record<string, unknown>> {
  const expected = new Map<string, Record<string, unknown>>();
  const traffic = syntheticTraffic({ zones, seed: SEED, startTimeMs });
  for (let i = 0; i < RECORDS; i++) {
    const { zone, record } = traffic.next().value;
    if (zone.zoneId !== kept.zoneId) continue;
    const line: Record<string, unknown> = {};
    for (const field of FIELDS) {
      const value = record[field];
      line[field] = typeof value === 'bigint' ? `#${value.toString()}` : value;
    }
    expected.set(String(record['RayID']), line);
  }
  return expected;
}

test('the pusher exits cleanly after going idle', () => {
  assert.equal(run.code, 0, run.stderr);
});

test('every record of the job zone is stored exactly once, with only the five fields', () => {
  const expected = expectedLines();
  const seen = new Map<string, number>();
  for (const object of objects) {
    for (const text of object.lines) {
      const line = parseExactJson(text);
      assert.deepEqual(Object.keys(line), FIELDS, `fields of a line in ${object.key}`);
      const ray = String(line['RayID']);
      seen.set(ray, (seen.get(ray) ?? 0) + 1);
      assert.deepEqual(line, expected.get(ray), `line for RayID ${ray} in ${object.key}`);
    }
  }
  assert.ok(expected.size > RECORDS / 3, `expected about half of the records in the kept zone, got ${expected.size}`);
  assert.equal(seen.size, expected.size, 'distinct records stored');
  assert.deepEqual([...seen.values()].filter((n) => n !== 1), [], 'records stored more than once');
});

test('objects are named like Logpush batches under the expanded date path', () => {
  assert.ok(objects.length >= 10, `expected at least 10 batches of ≤1,000 records, got ${objects.length}`);
  for (const object of objects) {
    assert.match(object.key, /^http\/\d{8}\/\d{8}T\d{6}Z_\d{8}T\d{6}Z_job\d+-p\d+-o\d+\.log\.gz$/);
    assert.ok(object.lines.length <= 1_000, `${object.key} has ${object.lines.length} lines`);
  }
});

test('the job group has committed to the end of the topic', async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = topicFor('http_requests');
    const ends = await endOffsets(admin, topic);
    const committed = await committedOffsets(admin, `sluice-job-${jobId}`, topic);
    assert.deepEqual(
      committed.map((c) => [c.partition, c.offset]).sort(),
      ends.map((e) => [e.partition, e.offset]).sort(),
    );
  } finally {
    await admin.disconnect();
  }
});

test('the undecodable record is counted and sent to the dead-letter topic with its origin', async () => {
  const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { jobs: { records_dead_lettered: number; records_delivered: number }[] };
  assert.equal(summary.jobs[0]?.records_dead_lettered, 1);
  assert.equal(summary.jobs[0]?.records_delivered, expectedLines().size);
  const consumer = kafka.consumer({ groupId: `e2e-dlq-${tag}` });
  await consumer.connect();
  await consumer.subscribe({ topic: DEAD_LETTER_TOPIC, fromBeginning: true });
  const found = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no dead letter from this job within 20 s')), 20_000);
    void consumer.run({
      eachMessage: ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        if (headers['sluice-dlq-job-id'] === String(jobId)) {
          clearTimeout(timer);
          resolve(headers);
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  assert.equal(found['sluice-dlq-topic'], topicFor('http_requests'));
  assert.equal(found['sluice-dlq-reason-code'], 'DECODE_BAD_JSON');
  assert.match(found['sluice-dlq-offset'] ?? '', /^\d+$/);
});

test('no log line carries the destination secret', () => {
  assert.ok(run.stderr.length > 0, 'the pusher logged something');
  assert.ok(!run.stderr.includes(env.secretAccessKey), 'secret access key found in the pusher output');
  assert.ok(!run.stdout.includes(env.secretAccessKey), 'secret access key found in the pusher summary');
});
