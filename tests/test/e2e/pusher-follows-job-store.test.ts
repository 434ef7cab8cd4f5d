// A pusher running from the Kafka job store follows it live, on real Kafka and S3: a job created
// through the store delivers; a new filter and field list apply to later batches; disabling stops
// delivery with the committed offsets left where delivery stopped; re-enabling resumes from there; a
// new destination gets a clean start; deleting stops it. A second job delivers everything throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Admin, Kafka } from 'kafkajs';
import type { S3Client } from '@aws-sdk/client-s3';
import { syntheticTraffic, syntheticZone } from '@sluice/edge';
import { DEFAULT_DATASET_PARTITIONS, createRecordProducer, ensureTopics } from '@sluice/kafka';
import type { OutgoingRecord, PartitionOffset } from '@sluice/kafka';
import { ACCOUNT_ID_HEADER, ZONE_ID_HEADER, createRecordEncoder, topicFor } from '@sluice/schemas';
import { defaultDestinations } from '@sluice/destinations';
import { createLogger } from '@sluice/logging';
import { createKafkaHealthStore, createKafkaJobStore } from '@sluice/job-store';
import type { JobStore, KafkaHealthStore, StoredJob } from '@sluice/job-store';
import { createPusher } from '@sluice/pusher';
import type { Pusher, PusherEvent } from '@sluice/pusher';
import { createTestBucket, jobCommitted, jobCommittedToEnd, readWhileWriting, runTag, s3DestinationConf, startJobGroupAtEnd, testEnv, testKafka, testS3, topicEnd, waitUntil } from '../../src/index.js';

const WAVE = 600;
const env = testEnv();
const tag = runTag();
const zone = syntheticZone(`live-${tag}.example`);
const topic = topicFor('http_requests');
const storeTopics = { jobs: `sluice.jobs.e2e-live-${tag}`, jobIds: `sluice.job-ids.e2e-live-${tag}` };
const healthTopic = `sluice.job-health.e2e-live-${tag}`;
const buckets = { steady: `e2e-live-steady-${tag}`, changing: `e2e-live-changing-${tag}`, moved: `e2e-live-moved-${tag}` };
const traffic = syntheticTraffic({ zones: [zone.name], seed: Number.parseInt(tag, 16), startTimeMs: Date.now() });
const encode = createRecordEncoder('http_requests');
const FILTER = JSON.stringify({ where: { key: 'EdgeResponseStatus', operator: 'eq', value: 200 } });

let kafka: Kafka;
let admin: Admin;
let s3: S3Client;
let store: JobStore;
let health: KafkaHealthStore;
let pusher: Pusher;
const events: PusherEvent[] = [];
/** The status of every record published, by RayID. */
const statusOf = new Map<string, number>();
/** Every record published, in order. */
const published: string[] = [];
/** Published while the changing job was disabled. */
let whileDisabled: string[] = [];
let steadyId: number;
let changingId: number;

async function publish(count: number): Promise<string[]> {
  const producer = await createRecordProducer(kafka);
  const rays: string[] = [];
  const records: OutgoingRecord[] = [];
  for (let i = 0; i < count; i++) {
    const { record } = traffic.next().value;
    const ray = String(record['RayID']);
    rays.push(ray);
    statusOf.set(ray, Number(record['EdgeResponseStatus']));
    records.push({ value: encode(record), headers: { [ZONE_ID_HEADER]: zone.zoneId, [ACCOUNT_ID_HEADER]: zone.accountId } });
  }
  await producer.send(topic, records);
  await producer.close();
  published.push(...rays);
  return rays;
}

/** RayID → lines (parsed) stored in a bucket. */
async function stored(bucket: string): Promise<Map<string, Record<string, unknown>[]>> {
  const lines = new Map<string, Record<string, unknown>[]>();
  for (const object of await readWhileWriting(s3, bucket)) {
    for (const line of object.lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const ray = String(parsed['RayID']);
      lines.set(ray, [...(lines.get(ray) ?? []), parsed]);
    }
  }
  return lines;
}

const containsAll = (have: ReadonlyMap<string, unknown>, rays: readonly string[]): boolean => rays.every((ray) => have.has(ray));

const committed = (id: number): Promise<PartitionOffset[]> => jobCommitted(admin, id, topic);
const committedToEnd = (id: number): Promise<boolean> => jobCommittedToEnd(admin, id, topic);

/** Records of the job's zone the job has read so far (other tests publish other zones to the same topic). */
function inScopeConsumed(id: number): number {
  const status = pusher.statuses().find((s) => s.id === id);
  return status ? status.records_consumed - status.records_out_of_scope : -1;
}

/** Waits for the pusher to have acted on a store change: an event of `type` for the job after `since`. */
async function eventAfter(since: number, jobId: number, type: PusherEvent['type']): Promise<void> {
  await waitUntil(`${type} for job ${jobId}`, () => events.slice(since).some((e) => e.type === type && 'jobId' in e && e.jobId === jobId));
}

function job(id: number, name: string, bucket: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    name,
    dataset: 'http_requests',
    zone_id: zone.zoneId,
    enabled: true,
    destination_conf: s3DestinationConf(env, bucket, 'logs'),
    output_options: { field_names: ['RayID', 'EdgeResponseStatus', 'ClientIP'] },
    max_upload_records: 1_000,
    max_upload_interval_seconds: 1,
    ...overrides,
  };
}

/** A fresh id whose consumer group starts exactly at the end of the topic (a recreated ids topic may reuse a number). */
async function freshJobId(): Promise<number> {
  const id = await store.nextJobId();
  await startJobGroupAtEnd(admin, id, topic);
  return id;
}

before(async () => {
  kafka = testKafka(env, 'e2e-live');
  admin = kafka.admin();
  await admin.connect();
  s3 = testS3(env);
  for (const bucket of Object.values(buckets)) await createTestBucket(s3, bucket);
  await ensureTopics(kafka, [{ topic, numPartitions: DEFAULT_DATASET_PARTITIONS }]);
  const logger = createLogger({ name: 'e2e-live', level: 'warn' });
  store = createKafkaJobStore({ kafka, logger, topics: storeTopics });
  health = createKafkaHealthStore({ kafka, logger, topic: healthTopic });
  await Promise.all([store.ready(), health.ready()]);
  pusher = createPusher({ store, health, minUploadIntervalSeconds: 1, kafka, destinations: defaultDestinations, logger, workerId: `e2e-${tag}`, onEvent: (e) => void events.push(e) });
  await pusher.start();
});

after(async () => {
  await pusher?.stop();
  await store?.close();
  await health?.close();
  await admin?.deleteTopics({ topics: [...Object.values(storeTopics), healthTopic] }).catch(() => undefined);
  await admin?.disconnect();
  s3?.destroy();
});

void test('jobs created through the store start delivering without a restart', async () => {
  assert.deepEqual(pusher.statuses(), [], 'the store starts empty');
  steadyId = await freshJobId();
  changingId = await freshJobId();
  const since = events.length;
  await store.putJob(job(steadyId, 'steady', buckets.steady));
  await store.putJob(job(changingId, 'changing', buckets.changing));
  await eventAfter(since, steadyId, 'job-started');
  await eventAfter(since, changingId, 'job-started');
  const rays = await publish(WAVE);
  await waitUntil('both jobs deliver the first wave', async () => containsAll(await stored(buckets.steady), rays) && containsAll(await stored(buckets.changing), rays));
  const lines = await stored(buckets.changing);
  assert.deepEqual(Object.keys(lines.get(rays[0] ?? '')?.[0] ?? {}), ['RayID', 'EdgeResponseStatus', 'ClientIP']);
  assert.deepEqual(pusher.statuses().map((s) => s.id).sort(), [steadyId, changingId].sort());
});

void test('a new filter and field list apply from the next batch: the open batch is delivered as it was built', async () => {
  await waitUntil('the changing job commits the first wave', () => committedToEnd(changingId));
  // A batch that only fills up in 300 s: the wave below stays in an open batch until the change.
  let since = events.length;
  await store.putJob(job(changingId, 'changing', buckets.changing, { max_upload_interval_seconds: 300 }));
  await eventAfter(since, changingId, 'job-started');
  const readBefore = inScopeConsumed(changingId);
  const open = await publish(WAVE);
  await waitUntil('the changing job reads the wave into open batches', () => inScopeConsumed(changingId) >= readBefore + WAVE);
  const beforeChange = await stored(buckets.changing);
  assert.deepEqual(open.filter((ray) => beforeChange.has(ray)), [], 'the wave is in open batches, not delivered yet');

  since = events.length;
  await store.putJob(job(changingId, 'changing', buckets.changing, { filter: FILTER, output_options: { field_names: ['RayID', 'EdgeResponseStatus'] } }));
  await eventAfter(since, changingId, 'job-reconfigured');
  await eventAfter(since, changingId, 'job-started');
  const afterChange = await stored(buckets.changing);
  assert.ok(containsAll(afterChange, open), 'the open batches were delivered, unfiltered, before the new configuration started');
  assert.deepEqual(Object.keys(afterChange.get(open[0] ?? '')?.[0] ?? {}), ['RayID', 'EdgeResponseStatus', 'ClientIP'], 'with the old field list');

  const rays = await publish(WAVE);
  const kept = rays.filter((ray) => statusOf.get(ray) === 200);
  assert.ok(kept.length > 0 && kept.length < rays.length, 'the wave holds records on both sides of the filter');
  await waitUntil('the changing job delivers and commits the next wave', async () => containsAll(await stored(buckets.changing), kept) && (await committedToEnd(changingId)));
  const lines = await stored(buckets.changing);
  assert.deepEqual(rays.filter((ray) => lines.has(ray)).sort(), [...kept].sort(), 'only status 200 of the next wave');
  for (const ray of kept) assert.deepEqual(Object.keys(lines.get(ray)?.[0] ?? {}), ['RayID', 'EdgeResponseStatus']);
});

void test('a disabled job stops delivering and its committed offsets stay where delivery stopped', async () => {
  await waitUntil('the changing job commits everything published so far', () => committedToEnd(changingId));
  const endBefore = await topicEnd(admin, topic);
  const since = events.length;
  await store.putJob(job(changingId, 'changing', buckets.changing, { enabled: false, filter: FILTER, output_options: { field_names: ['RayID', 'EdgeResponseStatus'] } }));
  await eventAfter(since, changingId, 'job-stopped');
  const atStop = await committed(changingId);
  for (const end of endBefore) {
    const at = atStop.find((p) => p.partition === end.partition);
    assert.ok(Number(at?.offset) >= Number(end.offset), `partition ${end.partition}: committed ${at?.offset} before ${end.offset}, what was delivered before the disable`);
  }
  const rays = await publish(WAVE);
  whileDisabled = rays;
  await waitUntil('the steady job delivers and commits the wave', async () => containsAll(await stored(buckets.steady), rays) && (await committedToEnd(steadyId)));
  const lines = await stored(buckets.changing);
  assert.deepEqual(rays.filter((ray) => lines.has(ray)), [], 'nothing of the wave reached the disabled job');
  assert.deepEqual(await committed(changingId), atStop, 'the disabled job committed nothing more');
  assert.deepEqual(pusher.statuses().map((s) => s.id), [steadyId], 'only the steady job is running');
});

void test('re-enabled, the job delivers what was published while it was disabled, from where it stopped', async () => {
  const since = events.length;
  await store.putJob(job(changingId, 'changing', buckets.changing, { filter: FILTER, output_options: { field_names: ['RayID', 'EdgeResponseStatus'] } }));
  await eventAfter(since, changingId, 'job-started');
  const missed = whileDisabled.filter((ray) => statusOf.get(ray) === 200);
  await waitUntil('the re-enabled job catches up and commits', async () => containsAll(await stored(buckets.changing), missed) && (await committedToEnd(changingId)));
  const lines = await stored(buckets.changing);
  assert.deepEqual([...lines.values()].filter((copies) => copies.length > 1), [], 'no record stored twice');
});

void test('a new destination starts a clean batch: the open batch is dropped, and its records go to the new destination only', async () => {
  let since = events.length;
  await store.putJob(job(changingId, 'changing', buckets.changing, { filter: FILTER, output_options: { field_names: ['RayID', 'EdgeResponseStatus'] }, max_upload_interval_seconds: 300 }));
  await eventAfter(since, changingId, 'job-started');
  const readBefore = inScopeConsumed(changingId);
  const rays = await publish(WAVE);
  const kept = rays.filter((ray) => statusOf.get(ray) === 200);
  await waitUntil('the changing job reads the wave into open batches', () => inScopeConsumed(changingId) >= readBefore + WAVE);

  since = events.length;
  await store.putJob(job(changingId, 'changing', buckets.moved, { filter: FILTER, output_options: { field_names: ['RayID', 'EdgeResponseStatus'] } }));
  await eventAfter(since, changingId, 'job-reconfigured');
  await eventAfter(since, changingId, 'job-started');
  assert.ok(events.slice(since).some((e) => e.type === 'job-reconfigured' && e.change === 'destination'));
  await waitUntil('the moved job delivers the wave to the new bucket and commits', async () => containsAll(await stored(buckets.moved), kept) && (await committedToEnd(changingId)));
  const moved = await stored(buckets.moved);
  assert.deepEqual([...moved.keys()].sort(), [...kept].sort(), 'the new bucket holds exactly the filtered wave');
  const old = await stored(buckets.changing);
  assert.deepEqual(rays.filter((ray) => old.has(ray)), [], 'the old bucket got nothing of the open batch');
});

void test('a deleted job stops while the other job keeps delivering every record exactly once', async () => {
  const since = events.length;
  await store.deleteJob(changingId);
  await eventAfter(since, changingId, 'job-stopped');
  const atDelete = await committed(changingId);
  const rays = await publish(WAVE);
  await waitUntil('the steady job delivers the fifth wave and commits', async () => containsAll(await stored(buckets.steady), rays) && (await committedToEnd(steadyId)));
  const moved = await stored(buckets.moved);
  assert.deepEqual(rays.filter((ray) => moved.has(ray)), [], 'nothing of the fifth wave reached the deleted job');
  assert.deepEqual(await committed(changingId), atDelete);
  assert.deepEqual(pusher.statuses().map((s) => s.id), [steadyId]);

  const steady = await stored(buckets.steady);
  assert.deepEqual([...steady.keys()].sort(), [...published].sort(), 'the steady job stored every record of every wave');
  assert.deepEqual([...steady.values()].filter((copies) => copies.length > 1), [], 'no record stored twice');
  assert.equal(pusher.statuses()[0]?.records_delivered, published.length);
});

void test("the worker publishes each job's health to the health store", async () => {
  await waitUntil('the steady job reports every delivery', () => health.health().get(steadyId)?.['records_delivered'] === published.length);
  const report = health.health().get(steadyId);
  assert.equal(report?.worker, `e2e-${tag}`);
  assert.notEqual(report?.last_complete, null);
  assert.equal(report?.last_error, null);
  assert.ok(health.health().has(changingId), 'the changing job reported while it ran');
});
