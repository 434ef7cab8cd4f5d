// A job whose group offsets Kafka expired (disabled longer than the broker's offset retention) resumes from its last delivered position: nothing skipped, nothing twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { S3Client } from '@aws-sdk/client-s3';
import { runLoadgen, syntheticTraffic, syntheticZone } from '@sluice/edge';
import { topicFor } from '@sluice/schemas';
import {
  countRaysInObjects,
  createTestBucket,
  jobCommitted,
  readStoredObjects,
  runSluice,
  runTag,
  s3DestinationConf,
  testEnv,
  testKafka,
  testS3,
  waitUntil,
} from '../../src/index.js';
import type { SluiceRun } from '../../src/index.js';

const FIRST = 3_000;
const SECOND = 2_000;
const env = testEnv();
const tag = runTag();
const zoneName = `expiry-${tag}.example`;
const zone = syntheticZone(zoneName);
const jobId = 400_000 + Number.parseInt(tag.slice(0, 5), 16);
const bucket = `e2e-expiry-${tag}`;
const topic = topicFor('http_requests');
let kafka: Kafka;
let admin: Admin;
let s3: S3Client;
let jobsFile: string;
let second: SluiceRun;
const published: string[] = [];

async function publish(records: number, seed: number): Promise<void> {
  const startTimeMs = Date.now();
  const summary = await runLoadgen({ kafka, records, zones: [zoneName], seed, startTimeMs });
  assert.equal(summary.published, records);
  // The same seed and start give the same records: their RayIDs are what S3 must hold.
  const traffic = syntheticTraffic({ zones: [zoneName], seed, startTimeMs });
  for (let i = 0; i < records; i++) published.push(String(traffic.next().value.record['RayID']));
}

before(async () => {
  kafka = testKafka(env, 'e2e-expiry');
  admin = kafka.admin();
  await admin.connect();
  s3 = testS3(env);
  await createTestBucket(s3, bucket);
  jobsFile = join(await mkdtemp(join(tmpdir(), 'sluice-expiry-')), 'jobs.json');
  // No start_from: a new job starts now, as Logpush's do.
  const job = {
    id: jobId,
    name: `expiry-${tag}`,
    dataset: 'http_requests',
    zone_id: zone.zoneId,
    enabled: true,
    destination_conf: s3DestinationConf(env, bucket, 'expiry'),
    output_options: { field_names: ['RayID'] },
    max_upload_records: 1_000,
  };
  await writeFile(jobsFile, JSON.stringify({ jobs: [job] }));

  // First run: the job starts, records arrive, it delivers them and exits when idle.
  const first = runSluice(['pusher', '--jobs', jobsFile, '--exit-when-idle', '6']);
  await waitUntil('the new job has seeded its group', async () => (await jobCommitted(admin, jobId, topic)).every((p) => Number(p.offset) >= 0));
  await publish(FIRST, 11);
  const firstRun = await first;
  assert.equal(firstRun.code, 0, firstRun.stderr);

  // Kafka expires an empty group's offsets after offsets.retention.minutes; deleting the group is the same to the job.
  await admin.deleteGroups([`sluice-job-${jobId}`]);
  await publish(SECOND, 12);
  second = await runSluice(['pusher', '--jobs', jobsFile, '--exit-when-idle', '6']);
});

after(async () => {
  await admin?.disconnect();
  s3?.destroy();
});

test('the job resumes from its last delivered position and says so', () => {
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout + second.stderr, /"from":"last-delivered"/, 'the log names where each partition resumed');
  assert.doesNotMatch(second.stdout + second.stderr, /"from":"now"/);
});

test('every record, published before and while the group was gone, is in S3 exactly once', async () => {
  const counts = countRaysInObjects(await readStoredObjects(s3, bucket));
  const missing = published.filter((ray) => !counts.has(ray));
  const twice = [...counts].filter(([, n]) => n > 1);
  assert.equal(published.length, FIRST + SECOND);
  assert.deepEqual({ missing: missing.length, twice: twice.length }, { missing: 0, twice: 0 }, `e.g. missing ${missing.slice(0, 3).join(',')}, twice ${twice.slice(0, 3).join(',')}`);
  assert.equal(counts.size, published.length);
});
