// Failure isolation end to end on real Kafka and S3: two jobs on one dataset and zone, one of whose
// S3 endpoints answers 503 to everything for a while. The healthy job must not stall; the failing job
// must keep its records in Kafka (offsets not committed), stop reading at its bound, and deliver
// everything exactly once when the destination recovers. Every assertion is on counts, none on time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Partitioners } from 'kafkajs';
import type { Admin, Kafka, Message } from 'kafkajs';
import type { S3Client } from '@aws-sdk/client-s3';
import { syntheticTraffic, syntheticZone } from '@sluice/edge';
import { DEFAULT_DATASET_PARTITIONS, committedOffsets, endOffsets, ensureTopics } from '@sluice/kafka';
import type { PartitionOffset } from '@sluice/kafka';
import { ACCOUNT_ID_HEADER, ZONE_ID_HEADER, createRecordEncoder, topicFor } from '@sluice/schemas';
import { parseJob } from '@sluice/pipeline';
import type { PushJob } from '@sluice/pipeline';
import { defaultDestinations } from '@sluice/destinations';
import { createLogger } from '@sluice/logging';
import { createPusher } from '@sluice/pusher';
import type { JobStatus, Pusher } from '@sluice/pusher';
import { createFaultProxy } from '@sluice/destination-conformance';
import type { FaultProxy } from '@sluice/destination-conformance';
import { countRaysInObjects, createTestBucket, readStoredObjects, runTag, s3DestinationConf, testEnv, testKafka, testS3 } from '../../src/index.js';
import type { StoredObject } from '../../src/index.js';

/** Logpush's smallest max_upload_records: many batches from few records. */
const MAX_UPLOAD_RECORDS = 1_000;
/** Sealed batches a job may have in delivery before it stops reading (set here; also the runner's default). */
const MAX_BATCHES_IN_FLIGHT = 4;
const PARTITIONS = DEFAULT_DATASET_PARTITIONS;
/**
 * What a job whose destination is down may hold: its sealed batches in delivery plus one open batch
 * per partition, which the age check may seal too once the job has stopped reading.
 */
const HELD_BATCHES_BOUND = MAX_BATCHES_IN_FLIGHT + PARTITIONS;
const HELD_RECORDS_BOUND = HELD_BATCHES_BOUND * MAX_UPLOAD_RECORDS;
/** Before the outage: both jobs deliver it. */
const FIRST_WAVE = 3_000;
/**
 * Published during the outage, wave after wave, with a checkpoint after each: together far more than
 * the failing job may hold. Records go round-robin over the partitions: 5,000 makes 833 a partition,
 * sealed by age only; 7,000 makes a full batch a partition, sealed as it is read, plus 166 sealed by
 * age. Both ways of sealing are exercised, and waiting for the age makes the outage last several retry rounds.
 */
const OUTAGE_WAVES = [5_000, 7_000, 5_000, 7_000, 5_000];
const PUBLISHED_DURING_OUTAGE = OUTAGE_WAVES.reduce((a, b) => a + b, 0);
const FIELDS = ['RayID', 'EdgeStartTimestamp'];
/** Sent with every injected 503, so that retries come each second instead of backing off towards 30 s. */
const RETRY_AFTER_SECONDS = '1';
/** A guard against hanging only: no assertion is about time. */
const WAIT_LIMIT_MS = 30_000;

const env = testEnv();
const tag = runTag();
const zone = syntheticZone(`isolation-${tag}.example`);
const healthyId = 3_000_000 + Number.parseInt(tag.slice(0, 5), 16) * 2;
const failingId = healthyId + 1;
const healthyBucket = `e2e-isolation-ok-${tag}`;
const failingBucket = `e2e-isolation-down-${tag}`;
const topic = topicFor('http_requests');
const traffic = syntheticTraffic({ zones: [zone.name], seed: Number.parseInt(tag, 16), startTimeMs: Date.now() });
const encode = createRecordEncoder('http_requests');

/** What the test saw at one moment: both jobs' status and committed offsets, and how many requests the proxy failed. */
interface Checkpoint {
  healthy: JobStatus;
  failing: JobStatus;
  healthyCommitted: PartitionOffset[];
  failingCommitted: PartitionOffset[];
  failedRequests: number;
}

let kafka: Kafka;
let admin: Admin;
let s3: S3Client;
let proxy: FaultProxy;
let pusher: Pusher | undefined;
const logLines: string[] = [];
/** Every RayID published, in order. */
const published: string[] = [];
let beforeOutage: Checkpoint;
/** Per partition, the offset of the first record published during the outage. */
let firstOutageOffsets: Map<number, number>;
/** One per outage wave, once the healthy job has delivered and committed everything published so far. */
const duringOutage: Checkpoint[] = [];
/** Requests the proxy answered with 503 over the whole outage. */
let failedDuringOutage: string[];
let endsAfterPublishing: Map<number, number>;
let recovered: Checkpoint;
/** The most batches the failing job reported in delivery at any poll during the outage. */
let peakBatchesInFlight = 0;
let outageOn = false;
/** Seconds each phase took, reported as diagnostics, never asserted. */
const phaseSeconds: Record<string, number> = {};
let healthyObjects: StoredObject[];
let failingObjects: StoredObject[];

/** Publishes `count` new records of the zone, remembering their RayIDs; returns the first offset written on each partition. */
async function publish(count: number): Promise<Map<number, number>> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const first = new Map<number, number>();
  try {
    for (let sent = 0; sent < count; ) {
      const messages: Message[] = [];
      for (; messages.length < 1_000 && sent < count; sent++) {
        const { record } = traffic.next().value;
        published.push(String(record['RayID']));
        messages.push({ value: encode(record), headers: { [ZONE_ID_HEADER]: zone.zoneId, [ACCOUNT_ID_HEADER]: zone.accountId } });
      }
      for (const written of await producer.send({ topic, acks: -1, messages })) {
        const offset = Number(written.baseOffset);
        first.set(written.partition, Math.min(offset, first.get(written.partition) ?? offset));
      }
    }
  } finally {
    await producer.disconnect();
  }
  return first;
}

async function topicEnds(): Promise<Map<number, number>> {
  return new Map((await endOffsets(admin, topic)).map((p) => [p.partition, Number(p.offset)]));
}

/** Whether a group has committed at least to `ends` on every partition. */
function committedTo(offsets: readonly PartitionOffset[], ends: ReadonlyMap<number, number>): boolean {
  return [...ends].every(([partition, end]) => Number(offsets.find((p) => p.partition === partition)?.offset ?? -1) >= end);
}

function job(id: number, name: string, destinationConf: string): PushJob {
  const parsed = parseJob(
    {
      id,
      name,
      dataset: 'http_requests',
      zone_id: zone.zoneId,
      enabled: true,
      destination_conf: destinationConf,
      output_options: { field_names: FIELDS },
      max_upload_records: MAX_UPLOAD_RECORDS,
      max_upload_interval_seconds: 2,
    },
    { minUploadIntervalSeconds: 1 },
  );
  if (!parsed.ok) throw new Error(`job ${name}: ${JSON.stringify(parsed.issues)}`);
  return parsed.job;
}

function status(id: number): JobStatus {
  const found = pusher?.statuses().find((s) => s.id === id);
  if (!found) throw new Error(`no status for job ${id}`);
  return structuredClone(found);
}

/** In-scope records the job has read and not delivered: what it holds in memory. */
function held(s: JobStatus): number {
  return s.records_consumed - s.records_out_of_scope - s.records_delivered;
}

async function committed(id: number): Promise<PartitionOffset[]> {
  return (await committedOffsets(admin, `sluice-job-${id}`, topic)).sort((a, b) => a.partition - b.partition);
}

async function checkpoint(): Promise<Checkpoint> {
  const failing = status(failingId);
  if (outageOn) peakBatchesInFlight = Math.max(peakBatchesInFlight, failing.batches_in_flight);
  return {
    healthy: status(healthyId),
    failing,
    healthyCommitted: await committed(healthyId),
    failingCommitted: await committed(failingId),
    failedRequests: proxy.failed.length,
  };
}

function describe(c: Checkpoint): string {
  const line = (s: JobStatus): string => `consumed ${s.records_consumed}, delivered ${s.records_delivered}, last_error ${s.last_error ?? 'none'}`;
  return `healthy: ${line(c.healthy)}; failing: ${line(c.failing)}; published ${published.length}`;
}

async function waitUntil(what: string, reached: (c: Checkpoint) => boolean): Promise<Checkpoint> {
  const giveUpAt = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const c = await checkpoint();
    if (reached(c)) return c;
    if (Date.now() > giveUpAt) throw new Error(`${what}: not reached within ${WAIT_LIMIT_MS / 1000} s (${describe(c)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The batch an object key names, e.g. `job3000001-p4-o1200`, from a proxied `PUT /bucket/key` request. */
function batchOf(request: string): string {
  return /_(job\d+-p\d+-o\d+)\.log\.gz/.exec(request)?.[1] ?? request;
}

before(async () => {
  kafka = testKafka(env, 'e2e-isolation');
  admin = kafka.admin();
  await admin.connect();
  s3 = testS3(env);
  await createTestBucket(s3, healthyBucket);
  await createTestBucket(s3, failingBucket);
  proxy = await createFaultProxy(env.s3Endpoint);
  await ensureTopics(kafka, [{ topic, numPartitions: PARTITIONS }]);
  // Both groups start exactly at the end of the topic: a start_from time would also take in records
  // that other runs' load generators stamped minutes ahead of the clock.
  const partitions = (await endOffsets(admin, topic)).map((p) => ({ partition: p.partition, offset: p.offset }));
  await Promise.all([healthyId, failingId].map((id) => admin.setOffsets({ groupId: `sluice-job-${id}`, topic, partitions })));

  const logger = createLogger({ name: 'e2e-isolation', level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
  pusher = createPusher({
    jobs: [
      job(healthyId, `isolation-ok-${tag}`, s3DestinationConf(env, healthyBucket, 'ok/{DATE}')),
      job(failingId, `isolation-down-${tag}`, s3DestinationConf({ ...env, s3Endpoint: proxy.url }, failingBucket, 'down/{DATE}')),
    ],
    kafka,
    destinations: defaultDestinations,
    logger,
    delivery: { maxBatchesInFlight: MAX_BATCHES_IN_FLIGHT },
  });
  const startedAt = performance.now();
  await pusher.start();

  await publish(FIRST_WAVE);
  const firstEnds = await topicEnds();
  beforeOutage = await waitUntil(
    'both jobs deliver and commit the first wave',
    (c) => c.healthy.records_delivered === FIRST_WAVE && c.failing.records_delivered === FIRST_WAVE && committedTo(c.healthyCommitted, firstEnds) && committedTo(c.failingCommitted, firstEnds),
  );

  proxy.failAll(503, { 'retry-after': RETRY_AFTER_SECONDS });
  outageOn = true;
  const outageStartedAt = performance.now();
  phaseSeconds['start and first wave'] = (outageStartedAt - startedAt) / 1000;
  const failedBefore = proxy.failed.length;
  for (const [i, size] of OUTAGE_WAVES.entries()) {
    const first = await publish(size);
    if (i === 0) firstOutageOffsets = first;
    const ends = await topicEnds();
    duringOutage.push(
      await waitUntil(`the healthy job delivers and commits outage wave ${i + 1}`, (c) => c.healthy.records_delivered === published.length && committedTo(c.healthyCommitted, ends)),
    );
  }
  endsAfterPublishing = await topicEnds();
  failedDuringOutage = proxy.failed.slice(failedBefore);

  proxy.recover();
  outageOn = false;
  const recoveredAt = performance.now();
  phaseSeconds['outage'] = (recoveredAt - outageStartedAt) / 1000;
  recovered = await waitUntil(
    'the failing job delivers everything and commits to the end after recovery',
    (c) => c.failing.records_delivered === published.length && committedTo(c.failingCommitted, endsAfterPublishing),
  );
  const caughtUpAt = performance.now();
  phaseSeconds['catch-up after recovery'] = (caughtUpAt - recoveredAt) / 1000;
  await pusher.stop();
  phaseSeconds['stop'] = (performance.now() - caughtUpAt) / 1000;
  healthyObjects = await readStoredObjects(s3, healthyBucket);
  failingObjects = await readStoredObjects(s3, failingBucket);
});

after(async () => {
  await pusher?.stop();
  await proxy?.close();
  await admin?.disconnect();
  s3?.destroy();
});

function assertEveryRecordOnce(objects: readonly StoredObject[]): void {
  const counts = countRaysInObjects(objects);
  assert.equal(new Set(published).size, published.length, 'the published RayIDs are distinct');
  assert.deepEqual([...counts.keys()].sort(), [...published].sort(), 'the RayIDs stored are exactly the RayIDs published');
  assert.deepEqual([...counts.entries()].filter(([, n]) => n !== 1), [], 'records stored more than once');
}

test('before the outage both jobs deliver and commit the first wave, with no error', () => {
  assert.equal(beforeOutage.healthy.records_delivered, FIRST_WAVE);
  assert.equal(beforeOutage.failing.records_delivered, FIRST_WAVE);
  assert.equal(beforeOutage.failing.last_error, null);
});

test('during the outage the healthy job delivers and commits every wave as it comes, and never fails', () => {
  assert.equal(duringOutage.length, OUTAGE_WAVES.length);
  duringOutage.forEach((c, i) => {
    const publishedSoFar = FIRST_WAVE + OUTAGE_WAVES.slice(0, i + 1).reduce((a, b) => a + b, 0);
    assert.equal(c.healthy.records_delivered, publishedSoFar, `delivered by outage wave ${i + 1}`);
    assert.equal(c.healthy.last_error, null);
    assert.deepEqual(c.healthy.retries_by_code, {});
  });
});

test('the outage was real: the failing job kept trying, got nothing but 503s and delivered nothing new', () => {
  assert.ok(failedDuringOutage.every((r) => r.startsWith('PUT ') && r.includes(`job${failingId}-`)), failedDuringOutage.join('\n'));
  const [first] = duringOutage;
  const last = duringOutage.at(-1);
  assert.ok(first && last && last.failedRequests > first.failedRequests, 'the failing job kept retrying from the first checkpoint to the last');
  for (const c of duringOutage) assert.equal(c.failing.records_delivered, FIRST_WAVE);
});

test('the failing job commits no offset during the outage: every record published during it stays in Kafka', () => {
  const [first, ...rest] = duringOutage;
  for (const c of rest) assert.deepEqual(c.failingCommitted, first?.failingCommitted, 'committed offsets moved between checkpoints');
  for (const p of duringOutage.at(-1)?.failingCommitted ?? []) {
    const limit = firstOutageOffsets.get(p.partition);
    assert.ok(limit !== undefined && Number(p.offset) <= limit, `partition ${p.partition} committed ${p.offset}, past ${limit}, its first record of the outage`);
  }
});

test('the failing job stops reading: it holds no more records and batches than its bound while far more are published', (t) => {
  const batches = new Set(failedDuringOutage.map(batchOf));
  t.diagnostic(
    `held ${duringOutage.map((c) => held(c.failing)).join(' → ')} records; ${batches.size} batches failed at the proxy, at most ${peakBatchesInFlight} in delivery at a poll; ${failedDuringOutage.length} requests failed`,
  );
  assert.ok(PUBLISHED_DURING_OUTAGE > 2 * HELD_RECORDS_BOUND, 'the outage publishes more than twice the bound, or the test proves nothing');
  for (const c of duringOutage) {
    assert.ok(held(c.failing) <= HELD_RECORDS_BOUND, `holds ${held(c.failing)} records (bound ${HELD_RECORDS_BOUND}): ${describe(c)}`);
  }
  const last = duringOutage.at(-1);
  assert.ok(last && last.failing.records_consumed - last.failing.records_out_of_scope < published.length, 'the failing job left records unread');
  // No batch succeeds during the outage, so every batch that failed was still in delivery when it ended.
  assert.ok(batches.size <= HELD_BATCHES_BOUND, `${batches.size} batches in delivery at once (bound ${HELD_BATCHES_BOUND}): ${[...batches].join(', ')}`);
  assert.ok(peakBatchesInFlight <= HELD_BATCHES_BOUND, `status showed ${peakBatchesInFlight} batches in delivery (bound ${HELD_BATCHES_BOUND})`);
  assert.equal(last?.failing.consumption_paused, true, 'the failing job reports its consumption paused');
  assert.equal(last?.healthy.consumption_paused, false, 'the healthy job reads on');
});

test('while failing, the status shows last_error and an error_message naming the 503, never with the S3 secret key', () => {
  // At the first checkpoint the failing job may not have sealed its first outage batch yet; by the last it has retried for several waves.
  const last = duringOutage.at(-1);
  assert.notEqual(last?.failing.last_error, null);
  assert.match(last?.failing.error_message ?? '', /503/);
  assert.ok(Object.values(last?.failing.retries_by_code ?? {}).reduce((a, b) => a + b, 0) > 0, 'retries are counted');
  for (const c of duringOutage) assert.ok(!(c.failing.error_message ?? '').includes(env.secretAccessKey), 'the secret access key is in error_message');
});

test('after recovery the failing job delivers everything, clears its error and commits to the end of what was published', (t) => {
  t.diagnostic(Object.entries(phaseSeconds).map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`).join(', '));
  assert.equal(recovered.failing.records_delivered, published.length);
  assert.equal(recovered.failing.last_error, null);
  assert.equal(recovered.failing.error_message, null);
  assert.equal(recovered.failing.consumption_paused, false);
  assert.ok(committedTo(recovered.failingCommitted, endsAfterPublishing));
});

test("the failing job's bucket holds every published record exactly once", () => {
  assertEveryRecordOnce(failingObjects);
});

test("the healthy job's bucket holds every published record exactly once", () => {
  assertEveryRecordOnce(healthyObjects);
});

test('the retries are logged, and no log line carries the S3 secret key', () => {
  assert.ok(logLines.some((line) => line.includes('delivery failed; retrying')), 'the retries were logged');
  assert.deepEqual(logLines.filter((line) => line.includes(env.secretAccessKey)), []);
});
