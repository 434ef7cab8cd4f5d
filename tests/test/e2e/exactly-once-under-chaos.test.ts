// Exactly once under chaos, end to end on real Kafka, S3 and OpenSearch: three `sluice pusher` processes
// on one jobs file (so in the same consumer groups) read http_requests while records stream in, in
// bursts with pauses; every few seconds a random pusher is killed with SIGKILL (aimed at a moment when
// an upload is stored but not yet acknowledged) and restarted, so partitions move while batches are in
// flight. S3 and OpenSearch sit behind fault proxies that store at once but answer late (1.2 s / 1 s),
// so kills land between delivery and commit. Four jobs read the same records: S3 batches cut by count,
// by age (1 s, mid-burst) and by idle flush (3 s, inside the 4-s pauses), and Elasticsearch. Afterwards
// the pushers stop gracefully, one pusher drains what is left, and every published RayID must be
// stored exactly once per job: none missing, none twice. Assertions are on counts only; every wait
// has a deadline that guards against hanging, never a timing assertion.
//
//   npx tsc --build
//   node tests/bin/with-infra.mjs node --test tests/dist/test/e2e/exactly-once-under-chaos.test.js
// (ClickHouse is not used here: where clickhouse-server is not installed, set CLICKHOUSE_URL to any URL.)
//
// Environment:
//   SLUICE_CHAOS_SECONDS  how long records stream in and pushers are killed (default 45: 8 bursts,
//                         28,800 records, ~9 kills, ~90 s in all); e.g. 600 for a soak: records and
//                         kills scale with it, the stop, drain and read-back take ~30 s more
//   SLUICE_CHAOS_SEED     seed of the records and of the kill schedule (default: from the run's tag;
//                         printed, so a failing run's schedule can be replayed)
//   SLUICE_CHAOS_THREADS  threads per pusher (--threads; default: the pusher's own default, one per core)
//   SLUICE_CHAOS_KEEP_LOGS=1  keep the pushers' logs even when every test passes (the path is printed)
//
// The pushers run with `--session-timeout 6` (the broker's minimum): with kafkajs's default 30 s, each
// kill would freeze every group for half a minute.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { S3Client } from '@aws-sdk/client-s3';
import { createRandom, syntheticZone } from '@sluice/edge';
import { DEFAULT_DATASET_PARTITIONS, ensureTopics } from '@sluice/kafka';
import { topicFor } from '@sluice/schemas';
import { createFaultProxy } from '@sluice/destination-conformance';
import type { FaultProxy } from '@sluice/destination-conformance';
import {
  countByTerm,
  countRaysInObjects,
  createIndex,
  createPusherFleet,
  createTestBucket,
  deleteIndex,
  describeCensus,
  isExactlyOnce,
  overlappingObjects,
  hostPort,
  jobCommittedToEnd,
  opensearchUrl,
  publishBursts,
  readStoredObjects,
  runKillSchedule,
  runTag,
  s3DestinationConf,
  startJobGroupAtEnd,
  takeCensus,
  testEnv,
  testKafka,
  testS3,
  waitUntil,
} from '../../src/index.js';
import type { KillScheduleResult, ObjectOverlap, PusherExit, PusherFleet, RayCensus } from '../../src/index.js';

const CHAOS_SECONDS = Number(process.env['SLUICE_CHAOS_SECONDS'] ?? 45);
const PUSHERS = 3;
/** Records per second while a burst lasts: ~3,600 records a 6-s cycle, ~600 a partition. */
const BURST_RATE = 1_800;
const BURST_MS = 2_000;
/** Longer than the idle job's interval plus the 1-s check, so its batches are cut inside the pause. */
const PAUSE_MS = 4_000;
const KILL_EVERY_MS = [2_500, 5_000] as const;
const RESTART_AFTER_MS = [300, 1_500] as const;
/** How long the kill schedule waits for an upload whose answer is held back before killing anyway. */
const AIM_MS = 1_500;
const S3_REPLY_DELAY_MS = 1_200;
const BULK_REPLY_DELAY_MS = 1_000;
/** A drain pusher stops after this long without new records (longer than a group join). */
const DRAIN_IDLE_SECONDS = 4;
const DRAIN_ROUNDS = 3;
const S3_FIELDS = ['RayID', 'EdgeStartTimestamp'];
const ES_FIELDS = ['RayID', 'ClientRequestHost', 'EdgeResponseStatus'];

const env = testEnv();
const tag = runTag();
const seed = Number(process.env['SLUICE_CHAOS_SEED'] ?? Number.parseInt(tag, 16));
const zoneName = `chaos-${tag}.example`;
const zone = syntheticZone(zoneName);
const topic = topicFor('http_requests');
const bucket = `e2e-chaos-${tag}`;
const index = `chaos-${tag}`;
const baseId = 6_000_000 + Number.parseInt(tag.slice(0, 5), 16) * 4;

interface ChaosJob {
  id: number;
  /** How its batches are cut, as the test names them. */
  kind: string;
  /** S3 jobs: the key prefix its objects are under. */
  prefix?: string;
  maxUploadRecords: number;
  maxUploadIntervalSeconds: number;
}

const S3_JOBS: ChaosJob[] = [
  { id: baseId, kind: 'S3, cut by count (1,000 records)', prefix: 'count/', maxUploadRecords: 1_000, maxUploadIntervalSeconds: 300 },
  { id: baseId + 1, kind: 'S3, cut by age (1 s)', prefix: 'age/', maxUploadRecords: 1_000_000, maxUploadIntervalSeconds: 1 },
  { id: baseId + 2, kind: 'S3, cut by idle flush (3 s, bursts with 4-s pauses)', prefix: 'idle/', maxUploadRecords: 1_000_000, maxUploadIntervalSeconds: 3 },
];
const ES_JOB: ChaosJob = { id: baseId + 3, kind: 'Elasticsearch (OpenSearch)', maxUploadRecords: 1_000, maxUploadIntervalSeconds: 1 };
const JOBS = [...S3_JOBS, ES_JOB];

let kafka: Kafka;
let admin: Admin;
let s3: S3Client;
let s3Proxy: FaultProxy | undefined;
let bulkProxy: FaultProxy | undefined;
let logDir: string;
let fleet: PusherFleet | undefined;
let drainer: PusherFleet | undefined;
let published: string[] = [];
let bursts = 0;
let chaos: KillScheduleResult;
let gracefulExits: PusherExit[] = [];
/** Seconds from SIGTERM to exit, per member. */
let stopSeconds: number[] = [];
const drainExits: PusherExit[] = [];
const caughtUp = new Map<number, boolean>();
const census = new Map<number, RayCensus>();
/** S3 jobs: the pairs of objects that share records (shown when a job is not exactly once). */
const overlaps = new Map<number, ObjectOverlap[]>();
const phaseSeconds: Record<string, number> = {};
let failures = 0;
let setupDone = false;

function jobDocument(job: ChaosJob, opensearch: string): Record<string, unknown> {
  const s3Conf = (prefix: string): string => s3DestinationConf({ ...env, s3Endpoint: s3Proxy?.url ?? '' }, bucket, `${prefix}{DATE}`);
  return {
    id: job.id,
    name: `chaos-${tag}-${job.id - baseId}`,
    dataset: 'http_requests',
    zone_id: zone.zoneId,
    enabled: true,
    destination_conf: job.prefix === undefined ? `elasticsearch://${hostPort(bulkProxy?.url ?? opensearch)}/${index}?tls=false` : s3Conf(job.prefix),
    output_options: { field_names: job.prefix === undefined ? ES_FIELDS : S3_FIELDS },
    max_upload_records: job.maxUploadRecords,
    max_upload_interval_seconds: job.maxUploadIntervalSeconds,
  };
}

async function allGroupsEmpty(): Promise<boolean> {
  const { groups } = await admin.describeGroups(JOBS.map((job) => `sluice-job-${job.id}`));
  return groups.every((group) => group.state === 'Empty' || group.state === 'Dead');
}

async function allCaughtUp(): Promise<boolean> {
  for (const job of JOBS) caughtUp.set(job.id, await jobCommittedToEnd(admin, job.id, topic));
  return [...caughtUp.values()].every(Boolean);
}

const seconds = (from: number): number => (performance.now() - from) / 1000;

/** Guards the whole run against hanging (each wait has its own deadline too); far above a normal run. */
const RUN_LIMIT_MS = (CHAOS_SECONDS + 300) * 1000;

before(async () => {
  const opensearch = opensearchUrl();
  kafka = testKafka(env, 'e2e-chaos');
  admin = kafka.admin();
  await admin.connect();
  s3 = testS3(env);
  await createTestBucket(s3, bucket);
  await createIndex(opensearch, index, { RayID: { type: 'keyword' } });
  await ensureTopics(kafka, [{ topic, numPartitions: DEFAULT_DATASET_PARTITIONS }]);
  for (const job of JOBS) await startJobGroupAtEnd(admin, job.id, topic);
  s3Proxy = await createFaultProxy(env.s3Endpoint);
  s3Proxy.delayReplies(S3_REPLY_DELAY_MS, (request) => request.method === 'PUT');
  bulkProxy = await createFaultProxy(opensearch);
  bulkProxy.delayReplies(BULK_REPLY_DELAY_MS, (request) => request.url.includes('_bulk'));

  logDir = await mkdtemp(join(tmpdir(), 'sluice-chaos-'));
  const jobsFile = join(logDir, 'jobs.json');
  await writeFile(jobsFile, JSON.stringify({ jobs: JOBS.map((job) => jobDocument(job, opensearch)) }, null, 2));
  const pusherEnv = { SLUICE_MIN_UPLOAD_INTERVAL_SECONDS: '1', SLUICE_LOG_LEVEL: 'info' };
  const threads = process.env['SLUICE_CHAOS_THREADS'];
  const session = ['--session-timeout', '6', ...(threads !== undefined ? ['--threads', threads] : [])];
  fleet = createPusherFleet({ jobsFile, size: PUSHERS, logDir, env: pusherEnv, pusherArgs: session });
  drainer = createPusherFleet({ jobsFile, size: 1, logDir, name: 'drain', env: pusherEnv, pusherArgs: [...session, '--exit-when-idle', String(DRAIN_IDLE_SECONDS)] });

  const startedAt = performance.now();
  for (let slot = 0; slot < PUSHERS; slot++) fleet.start(slot);
  const random = createRandom(seed);
  const trafficDone = new AbortController();
  const schedule = runKillSchedule({
    fleet,
    random,
    killEveryMs: KILL_EVERY_MS,
    restartAfterMs: RESTART_AFTER_MS,
    aimMs: AIM_MS,
    inWindow: () => (s3Proxy?.heldReplies() ?? 0) > 0,
    signal: trafficDone.signal,
  });
  try {
    const traffic = await publishBursts({ kafka, zone: zoneName, seed, ratePerSecond: BURST_RATE, burstMs: BURST_MS, pauseMs: PAUSE_MS, durationMs: CHAOS_SECONDS * 1000 });
    published = traffic.rayIds;
    bursts = traffic.bursts;
  } finally {
    trafficDone.abort();
    chaos = await schedule;
  }
  phaseSeconds['traffic and kills'] = seconds(startedAt);

  // A rolling stop: each member delivers its open batches and commits; a killed one's session runs out.
  let phase = performance.now();
  // A member restarted just now must have its signal handlers in place, or SIGTERM is a kill.
  for (let slot = 0; slot < PUSHERS; slot++) await fleet.started(slot);
  const stopAt = Date.now();
  gracefulExits = await fleet.stopAll(30_000);
  phaseSeconds['graceful stop'] = seconds(phase);
  stopSeconds = gracefulExits.map((exit) => (exit.atMs - stopAt) / 1000);
  phase = performance.now();
  await waitUntil('every job group is empty (stopped members left, killed ones expired)', allGroupsEmpty, 30_000);
  phaseSeconds['groups empty'] = seconds(phase);

  // One pusher alone reads what is left, without delays, until idle; again if a job has not caught up.
  phase = performance.now();
  s3Proxy.stopDelaying();
  bulkProxy.stopDelaying();
  for (let round = 1; round <= DRAIN_ROUNDS && !(await allCaughtUp()); round++) {
    drainer.start(0);
    const exit = drainer.exited(0);
    const timer = setTimeout(() => void drainer?.kill(0).catch(() => undefined), 120_000);
    drainExits.push(await exit);
    clearTimeout(timer);
    await waitUntil('the drain pusher left its groups', allGroupsEmpty, 30_000);
  }
  phaseSeconds['drain'] = seconds(phase);

  phase = performance.now();
  for (const job of S3_JOBS) {
    const objects = await readStoredObjects(s3, bucket, job.prefix);
    census.set(job.id, takeCensus(published, countRaysInObjects(objects)));
    overlaps.set(job.id, overlappingObjects(objects));
  }
  census.set(ES_JOB.id, takeCensus(published, await countByTerm(opensearch, index, 'RayID')));
  phaseSeconds['reading back'] = seconds(phase);
  setupDone = true;
}, { timeout: RUN_LIMIT_MS });

after(async () => {
  await Promise.allSettled([fleet?.killAll(), drainer?.killAll()]);
  await Promise.allSettled([s3Proxy?.close(), bulkProxy?.close()]);
  if (process.env['OPENSEARCH_URL']) await deleteIndex(opensearchUrl(), index);
  await admin?.disconnect();
  s3?.destroy();
  if (logDir && setupDone && failures === 0 && process.env['SLUICE_CHAOS_KEEP_LOGS'] !== '1') await rm(logDir, { recursive: true, force: true });
  else if (logDir) process.stderr.write(`exactly-once-under-chaos: pusher logs kept in ${logDir}\n`);
});

/** Counts a failed assertion so that the logs are kept for it. */
function check(body: () => void): void {
  try {
    body();
  } catch (error) {
    failures++;
    throw error;
  }
}

test('the chaos was real: records streamed in bursts, pushers were killed while uploads waited for their answer, none crashed', (t) => {
  const inWindow = chaos.kills.filter((kill) => kill.inWindow).length;
  t.diagnostic(
    `seed ${seed}; ${published.length} records in ${bursts} bursts; ${chaos.kills.length} kills (${inWindow} while an S3 answer was held back): ` +
      chaos.kills.map((kill) => `${(kill.atMs / 1000).toFixed(1)}s#${kill.slot}${kill.inWindow ? '*' : ''}`).join(' '),
  );
  t.diagnostic(`${s3Proxy?.delayed.length ?? 0} S3 PUTs and ${bulkProxy?.delayed.length ?? 0} bulk requests answered late; phases: ${Object.entries(phaseSeconds).map(([phase, s]) => `${phase} ${s.toFixed(1)} s`).join(', ')}; members exited ${stopSeconds.map((s) => s.toFixed(1)).join(', ')} s after SIGTERM`);
  check(() => {
    assert.ok(published.length >= BURST_RATE * (BURST_MS / 1000), `only ${published.length} records published`);
    assert.ok(chaos.kills.length >= Math.floor(CHAOS_SECONDS / 10), `only ${chaos.kills.length} kills in ${CHAOS_SECONDS} s`);
    assert.ok(inWindow > 0, 'no kill landed while an upload was stored but not yet acknowledged');
    assert.deepEqual(chaos.foundDead, [], 'pushers that died without being killed');
    assert.deepEqual(gracefulExits.map((exit) => [exit.slot, exit.code, exit.signal]), gracefulExits.map((exit) => [exit.slot, 0, null]), 'a graceful stop that did not exit 0');
  });
});

test('after the drain every job has committed to the end of the topic', (t) => {
  t.diagnostic(`${drainExits.length} drain round(s), exits ${drainExits.map((exit) => exit.code ?? exit.signal).join(', ')}`);
  check(() => {
    for (const job of JOBS) assert.equal(caughtUp.get(job.id), true, `job ${job.id} (${job.kind}) has not committed to the end after ${DRAIN_ROUNDS} drains`);
    assert.ok(drainExits.every((exit) => exit.code === 0), `a drain pusher did not exit 0: ${drainExits.map((exit) => exit.log).join(', ')}`);
  });
});

for (const job of JOBS) {
  test(`job ${job.id - baseId}, ${job.kind}: every published RayID is stored exactly once`, (t) => {
    check(() => {
      const found = census.get(job.id);
      assert.ok(found, 'no census: the run did not get that far');
      const description = describeCensus(`job ${job.id} (${job.kind})`, found);
      t.diagnostic(description);
      for (const overlap of (overlaps.get(job.id) ?? []).slice(0, 5)) {
        t.diagnostic(`${overlap.shared} records in both ${overlap.keys[0]} (${overlap.lines[0]} lines) and ${overlap.keys[1]} (${overlap.lines[1]} lines)`);
      }
      assert.ok(isExactlyOnce(found), description);
    });
  });
}
