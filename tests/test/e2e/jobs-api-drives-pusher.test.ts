// The jobs API over HTTP drives a running pusher, on real Kafka and S3: a job created with a POST
// delivers within seconds; a PUT of its filter applies to later batches; disabling stops delivery with
// its offsets left where delivery stopped; DELETE removes it. A second job delivers throughout, and
// its health reports come back on GET as last_complete.
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
import type { JobStore, KafkaHealthStore } from '@sluice/job-store';
import { createApiServer, createAuthenticator } from '@sluice/api';
import { createPusher } from '@sluice/pusher';
import type { Pusher, PusherEvent } from '@sluice/pusher';
import { loopbackDestinations } from '../../src/api-destinations.js';
import { createTestBucket, jobCommitted, jobCommittedToEnd, readWhileWriting, runTag, s3DestinationConf, startJobGroupAtEnd, testEnv, testKafka, testS3, waitUntil } from '../../src/index.js';

const WAVE = 500;
const TOKEN = `e2e-api-${runTag()}${runTag()}`;
const env = testEnv();
const tag = runTag();
const zone = syntheticZone(`api-${tag}.example`);
const topic = topicFor('http_requests');
const storeTopics = { jobs: `sluice.jobs.e2e-api-${tag}`, jobIds: `sluice.job-ids.e2e-api-${tag}` };
const healthTopic = `sluice.job-health.e2e-api-${tag}`;
const buckets = { steady: `e2e-api-steady-${tag}`, changing: `e2e-api-changing-${tag}` };
const traffic = syntheticTraffic({ zones: [zone.name], seed: Number.parseInt(tag, 16), startTimeMs: Date.now() });
const encode = createRecordEncoder('http_requests');

let kafka: Kafka;
let admin: Admin;
let s3: S3Client;
let apiStore: JobStore;
let workerStore: JobStore;
let apiHealth: KafkaHealthStore;
let workerHealth: KafkaHealthStore;
let api: ReturnType<typeof createApiServer>;
let base: string;
let pusher: Pusher;
const events: PusherEvent[] = [];
const statusOf = new Map<string, number>();
let steadyId: number;
let changingId: number;

interface Envelope {
  success: boolean;
  errors: { code: number; message: string }[];
  result: Record<string, unknown> | null;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; envelope: Envelope }> {
  const response = await fetch(`${base}/client/v4/zones/${zone.zoneId}/logpush${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, envelope: (await response.json()) as Envelope };
}

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
  return rays;
}

/** RayIDs stored in a bucket the pusher may be writing to. */
async function storedRays(bucket: string): Promise<Set<string>> {
  const rays = new Set<string>();
  for (const object of await readWhileWriting(s3, bucket)) for (const line of object.lines) rays.add(String((JSON.parse(line) as Record<string, unknown>)['RayID']));
  return rays;
}

const committed = (id: number): Promise<PartitionOffset[]> => jobCommitted(admin, id, topic);
const committedToEnd = (id: number): Promise<boolean> => jobCommittedToEnd(admin, id, topic);

async function eventAfter(since: number, jobId: number, type: PusherEvent['type']): Promise<void> {
  await waitUntil(`${type} for job ${jobId}`, () => events.slice(since).some((e) => e.type === type && 'jobId' in e && e.jobId === jobId));
}

/** Creates a job over HTTP, disabled, and starts its consumer group at the end of the topic (per-run id topics reuse numbers). */
async function createJob(name: string, bucket: string): Promise<number> {
  const { status, envelope } = await call('POST', '/jobs', {
    name,
    dataset: 'http_requests',
    destination_conf: s3DestinationConf(env, bucket, 'logs'),
    output_options: { field_names: ['RayID', 'EdgeResponseStatus'] },
    max_upload_records: 1_000,
    max_upload_interval_seconds: 1,
  });
  assert.equal(status, 200, JSON.stringify(envelope));
  assert.equal(envelope.result?.['enabled'], false, 'jobs are created disabled');
  const id = Number(envelope.result?.['id']);
  await startJobGroupAtEnd(admin, id, topic);
  return id;
}

before(async () => {
  kafka = testKafka(env, 'e2e-api');
  admin = kafka.admin();
  await admin.connect();
  s3 = testS3(env);
  for (const bucket of Object.values(buckets)) await createTestBucket(s3, bucket);
  await ensureTopics(kafka, [{ topic, numPartitions: DEFAULT_DATASET_PARTITIONS }]);
  const logger = createLogger({ name: 'e2e-api', level: 'warn' });
  // The API and the worker each read the store through their own instance, as separate processes would.
  apiStore = createKafkaJobStore({ kafka, logger, topics: storeTopics });
  workerStore = createKafkaJobStore({ kafka, logger, topics: storeTopics });
  apiHealth = createKafkaHealthStore({ kafka, logger, topic: healthTopic });
  workerHealth = createKafkaHealthStore({ kafka, logger, topic: healthTopic });
  await Promise.all([apiStore.ready(), workerStore.ready(), apiHealth.ready(), workerHealth.ready()]);
  const apiDestinations = loopbackDestinations();
  api = createApiServer({
    store: apiStore,
    health: apiHealth,
    registry: apiDestinations.registry,
    addresses: apiDestinations,
    auth: createAuthenticator({ devToken: TOKEN }),
    minUploadIntervalSeconds: 1,
    logger,
  });
  base = await api.listen({ port: 0, host: '127.0.0.1' });
  pusher = createPusher({ store: workerStore, health: workerHealth, healthIntervalMs: 500, minUploadIntervalSeconds: 1, kafka, destinations: defaultDestinations, logger, onEvent: (e) => void events.push(e) });
  await pusher.start();
});

after(async () => {
  await pusher?.stop();
  await api?.close();
  await Promise.all([apiStore?.close(), workerStore?.close(), apiHealth?.close(), workerHealth?.close()]);
  await admin?.deleteTopics({ topics: [...Object.values(storeTopics), healthTopic] }).catch(() => undefined);
  await admin?.disconnect();
  s3?.destroy();
});

void test('jobs created and enabled over HTTP deliver without restarting the worker', async () => {
  steadyId = await createJob('steady', buckets.steady);
  changingId = await createJob('changing', buckets.changing);
  const since = events.length;
  for (const id of [steadyId, changingId]) {
    const { status, envelope } = await call('PUT', `/jobs/${id}`, { enabled: true });
    assert.equal(status, 200, JSON.stringify(envelope));
    assert.equal(envelope.result?.['enabled'], true);
  }
  await eventAfter(since, steadyId, 'job-started');
  await eventAfter(since, changingId, 'job-started');
  const rays = await publish(WAVE);
  await waitUntil('both jobs deliver the first wave', async () => {
    const [steady, changing] = await Promise.all([storedRays(buckets.steady), storedRays(buckets.changing)]);
    return rays.every((ray) => steady.has(ray) && changing.has(ray));
  });
});

void test('a filter PUT over HTTP applies to later batches, and comes back as a string', async () => {
  await waitUntil('the changing job commits the first wave', () => committedToEnd(changingId));
  const filter = JSON.stringify({ where: { key: 'EdgeResponseStatus', operator: 'eq', value: 200 } });
  const since = events.length;
  const { status, envelope } = await call('PUT', `/jobs/${changingId}`, { filter });
  assert.equal(status, 200, JSON.stringify(envelope));
  assert.equal(envelope.result?.['filter'], filter);
  await eventAfter(since, changingId, 'job-reconfigured');
  await eventAfter(since, changingId, 'job-started');
  const rays = await publish(WAVE);
  const ok = rays.filter((ray) => statusOf.get(ray) === 200);
  assert.ok(ok.length > 0 && ok.length < rays.length, `the wave mixes statuses (${ok.length} of ${rays.length} are 200)`);
  await waitUntil('the steady job delivers the wave and the changing one its 200s', async () => {
    const [steady, changing] = await Promise.all([storedRays(buckets.steady), storedRays(buckets.changing)]);
    return rays.every((ray) => steady.has(ray)) && ok.every((ray) => changing.has(ray));
  });
  await waitUntil('the changing job commits the wave', () => committedToEnd(changingId));
  const changing = await storedRays(buckets.changing);
  assert.deepEqual(rays.filter((ray) => statusOf.get(ray) !== 200 && changing.has(ray)), [], 'no record the filter excludes was delivered');
});

void test('disabling over HTTP stops delivery and leaves the committed offsets where delivery stopped', async () => {
  const since = events.length;
  const { status } = await call('PUT', `/jobs/${changingId}`, { enabled: false });
  assert.equal(status, 200);
  await eventAfter(since, changingId, 'job-stopped');
  const offsetsAtStop = await committed(changingId);
  const rays = await publish(WAVE);
  await waitUntil('the steady job delivers the wave', async () => {
    const steady = await storedRays(buckets.steady);
    return rays.every((ray) => steady.has(ray));
  });
  await waitUntil('the steady job commits the wave', () => committedToEnd(steadyId));
  const changing = await storedRays(buckets.changing);
  assert.deepEqual(rays.filter((ray) => changing.has(ray)), [], 'the disabled job delivered nothing');
  assert.deepEqual(await committed(changingId), offsetsAtStop, 'its committed offsets did not move');
  assert.ok(!pusher.statuses().some((s) => s.id === changingId && s.enabled), 'no enabled runner for the disabled job');
});

void test('DELETE removes the job over HTTP and from the worker, while the other job reports its health', async () => {
  const { status, envelope } = await call('DELETE', `/jobs/${changingId}`);
  assert.equal(status, 200);
  assert.deepEqual(envelope.result, { id: changingId });
  const gone = await call('GET', `/jobs/${changingId}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.envelope.success, false);
  const list = await call('GET', '/jobs');
  assert.deepEqual((list.envelope.result as unknown as { id: number }[]).map((job) => job.id), [steadyId]);
  await waitUntil('the steady job shows last_complete from the worker', async () => {
    const { envelope: steady } = await call('GET', `/jobs/${steadyId}`);
    return typeof steady.result?.['last_complete'] === 'string';
  });
  const { envelope: steady } = await call('GET', `/jobs/${steadyId}`);
  assert.equal(steady.result?.['last_error'], null);
});
