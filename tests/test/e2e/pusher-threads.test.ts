// The pusher on several threads, on real Kafka and S3: two worker threads, each a member of the job's group, share the
// partitions and store every record exactly once; a thread that crashes mid-run is restarted and still nothing is lost or doubled.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoadgen, syntheticTraffic, syntheticZone } from '@sluice/edge';
import { committedOffsets, endOffsets } from '@sluice/kafka';
import type { PartitionOffset } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { createThreadedPusher, startWorkerThread } from '@sluice/pusher';
import type { JobStatus, ThreadedPusher, ThreadHandle, ThreadInfo } from '@sluice/pusher';
import { topicFor } from '@sluice/schemas';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import { countRaysInObjects, createTestBucket, describeCensus, isExactlyOnce, readStoredObjects, runTag, s3DestinationConf, takeCensus, testEnv, testKafka, testS3, waitUntil } from '../../src/index.js';

const RECORDS = 16_000;
const env = testEnv();
const topic = topicFor('http_requests');
let kafka: Kafka;
let s3: S3Client;

before(() => {
  kafka = testKafka(env, 'e2e-threads');
  s3 = testS3(env);
  // Batches also go out on the clock within seconds, so that S3 can be watched filling up (Logpush's minimum is 30 s).
  process.env['SLUICE_MIN_UPLOAD_INTERVAL_SECONDS'] = '1';
});

after(() => s3?.destroy());

/** One job over its own zone and bucket, run by a two-thread pusher whose threads the test can reach. */
async function scenario(name: string, seed: number) {
  const tag = runTag();
  const zones = [`a-${tag}.example`, `b-${tag}.example`];
  const kept = syntheticZone(zones[0] ?? '');
  const jobId = 300_000 + Number.parseInt(tag.slice(0, 5), 16);
  const bucket = `e2e-threads-${name}-${tag}`;
  const startTimeMs = Date.now();
  await createTestBucket(s3, bucket);
  const jobsFile = join(await mkdtemp(join(tmpdir(), 'sluice-e2e-threads-')), 'jobs.json');
  const job = {
    id: jobId,
    name: `threads-${name}-${tag}`,
    dataset: 'http_requests',
    zone_id: kept.zoneId,
    enabled: true,
    destination_conf: s3DestinationConf(env, bucket, 'threads/{DATE}'),
    output_options: { field_names: ['RayID', 'ClientIP', 'EdgeStartTimestamp'] },
    max_upload_records: 1_000,
    max_upload_interval_seconds: 2,
    start_from: new Date(startTimeMs - 5_000).toISOString(),
  };
  await writeFile(jobsFile, JSON.stringify({ jobs: [job] }));
  const handles: ThreadHandle[] = [];
  const pusher: ThreadedPusher = createThreadedPusher({
    threads: 2,
    // A terminated thread's partitions move to the other after the broker's shortest session, not Sluice's default 30 s.
    settings: { kafka: { brokers: env.brokers, clientId: `e2e-threads-${name}`, security: {} }, jobs: { kind: 'file', path: jobsFile }, destinations: { kind: 'default' }, logLevel: 'warn', delivery: { sessionTimeoutMs: 6_000 } },
    logger: createLogger({ name: `e2e-threads-${name}`, level: 'warn' }),
    statusIntervalMs: 100,
    startThread: (setup, listener) => (handles[setup.index] = startWorkerThread(setup, listener)),
  });
  const rays = (): string[] => {
    const traffic = syntheticTraffic({ zones, seed, startTimeMs });
    const kept: string[] = [];
    for (let i = 0; i < RECORDS; i++) {
      const { zone, record } = traffic.next().value;
      if (zone.zoneId === job.zone_id) kept.push(String(record['RayID']));
    }
    return kept;
  };
  return {
    jobId,
    pusher,
    handles,
    /** Publishes the records over a few seconds, a send at a time to each partition in turn. */
    publish: (ratePerSecond: number) => runLoadgen({ kafka, records: RECORDS, zones, seed, startTimeMs, ratePerSecond }),
    status: (): JobStatus | undefined => pusher.statuses().find((s) => s.id === jobId),
    published: rays,
    census: async () => takeCensus(rays(), countRaysInObjects(await readStoredObjects(s3, bucket))),
  };
}

async function topicEnds(): Promise<PartitionOffset[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await endOffsets(admin, topic);
  } finally {
    await admin.disconnect();
  }
}

void describe('two threads on one job', () => {
  let run: Awaited<ReturnType<typeof scenario>>;
  let final: JobStatus | undefined;
  let threads: ThreadInfo[];
  let publishedEnds: PartitionOffset[];

  before(async () => {
    run = await scenario('share', 1717);
    await run.pusher.start();
    await run.publish(3_200);
    publishedEnds = await topicEnds();
    const inZone = run.published().length;
    await waitUntil('the threads have consumed every record of the zone', () => {
      const status = run.status();
      return status !== undefined && status.records_consumed - status.records_out_of_scope >= inZone;
    }, 60_000);
    // The stop seals the open batches in every thread, delivers them and commits.
    await run.pusher.stop();
    final = run.status();
    threads = run.pusher.threads();
  });

  after(() => run?.pusher.stop());

  void test('every record of the job zone is stored exactly once by the two threads together', async () => {
    const census = await run.census();
    assert.ok(census.published > RECORDS / 3, `about half the records are in the kept zone, got ${census.published}`);
    assert.ok(isExactlyOnce(census), describeCensus('threaded pusher', census));
    assert.equal(final?.records_delivered, census.published, 'the merged status counts each delivered record once');
    assert.equal(final?.last_error, null, final?.error_message ?? '');
  });

  void test('both threads held partitions of the job and delivered some of its records', () => {
    assert.deepEqual(threads.map((t) => t.workerId.endsWith(`-t${t.index}`)), [true, true]);
    const shares = threads.map((t) => t.statuses.find((s) => s.id === run.jobId)?.records_delivered ?? 0);
    assert.ok(shares.every((share) => share > 0), `records delivered per thread: ${shares.join(', ')}`);
    assert.equal(shares.reduce((a, b) => a + b, 0), final?.records_delivered, 'the threads\' shares add up to the merged figure');
    assert.deepEqual(threads.map((t) => [t.state, t.restarts]), [['stopped', 0], ['stopped', 0]]);
  });

  void test('the job group has committed every partition at least to where publishing ended', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = new Map((await committedOffsets(admin, `sluice-job-${run.jobId}`, topic)).map((c) => [c.partition, Number(c.offset)]));
      assert.ok(publishedEnds.length > 1, 'the dataset topic has several partitions');
      for (const end of publishedEnds) {
        assert.ok((committed.get(end.partition) ?? -1) >= Number(end.offset), `partition ${end.partition}: committed ${committed.get(end.partition)}, published up to ${end.offset}`);
      }
    } finally {
      await admin.disconnect();
    }
  });
});

void describe('a thread that crashes mid-run', () => {
  let run: Awaited<ReturnType<typeof scenario>>;
  let whileDown: JobStatus | undefined;
  let threads: ThreadInfo[];

  before(async () => {
    run = await scenario('crash', 2929);
    await run.pusher.start();
    const publishing = run.publish(2_000);
    await waitUntil('thread 1 has delivered something', () => (run.pusher.threads()[1]?.statuses[0]?.records_delivered ?? 0) > 0, 30_000);
    // Ends the thread at once, as an uncaught error would: open batches and uncommitted deliveries are left as they are.
    await run.handles[1]?.terminate();
    whileDown = run.status();
    await publishing;
    await waitUntil('thread 1 runs again', () => run.pusher.threads()[1]?.state === 'running', 30_000);
    const inZone = run.published().length;
    await waitUntil('every record of the zone is in S3', async () => (await run.census()).stored >= inZone, 90_000);
    await run.pusher.stop();
    threads = run.pusher.threads();
  });

  after(() => run?.pusher.stop());

  void test('its jobs report the crash at once, with its code', () => {
    assert.match(whileDown?.error_message ?? '', /^PUSHER_THREAD_CRASHED: pusher thread 1 ended \(code 1\); restarting it in 500 ms/);
  });

  void test('it is restarted, and every record is stored exactly once all the same', async () => {
    assert.deepEqual(threads.map((t) => t.restarts), [0, 1]);
    const census = await run.census();
    assert.ok(isExactlyOnce(census), describeCensus('threaded pusher with a crash', census));
    assert.equal(run.status()?.last_error, null, run.status()?.error_message ?? '');
  });
});
