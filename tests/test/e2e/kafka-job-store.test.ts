// The Kafka job store on real Kafka: two store instances stand for two API replicas sharing the topics.
// Ids stay unique under concurrent allocation, writes reach the other replica, corrupt records are
// skipped, and a fresh instance rebuilds the same view from the compacted topic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Partitioners } from 'kafkajs';
import type { Admin, Kafka } from 'kafkajs';
import { createLogger } from '@sluice/logging';
import { deriveHexId } from '@sluice/schemas';
import { createKafkaHealthStore, createKafkaJobStore, jobKey } from '@sluice/job-store';
import type { JobHealth, JobStore, KafkaHealthStore, StoreEvent, StoredJob } from '@sluice/job-store';
import { runTag, testEnv, testKafka } from '../../src/index.js';

/** A guard against hanging only: no assertion is about time. */
const WAIT_LIMIT_MS = 20_000;
const env = testEnv();
const tag = runTag();
const topics = { jobs: `sluice.jobs.e2e-${tag}`, jobIds: `sluice.job-ids.e2e-${tag}` };
const healthTopic = `sluice.job-health.e2e-${tag}`;
const zoneId = deriveHexId(`zone:store-${tag}`);
const logLines: string[] = [];
const logger = createLogger({ name: 'e2e-store', level: 'warn', destination: { write: (line: string) => void logLines.push(line) } });

let kafka: Kafka;
let admin: Admin;
let replicaA: JobStore;
let replicaB: JobStore;
const seenByB: StoreEvent[] = [];

function job(id: number, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    name: `store-${id}`,
    dataset: 'http_requests',
    zone_id: zoneId,
    enabled: true,
    destination_conf: 's3://bucket/logs?region=us-east-1',
    output_options: { field_names: ['ClientIP', 'RayID'] },
    ...overrides,
  };
}

async function waitFor(what: string, done: () => boolean): Promise<void> {
  const giveUpAt = Date.now() + WAIT_LIMIT_MS;
  while (!done()) {
    if (Date.now() > giveUpAt) throw new Error(`${what}: not within ${WAIT_LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function produceRaw(key: string, value: string): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: topics.jobs, acks: -1, messages: [{ key, value }] });
  await producer.disconnect();
}

before(async () => {
  kafka = testKafka(env, 'e2e-store');
  admin = kafka.admin();
  await admin.connect();
  replicaA = createKafkaJobStore({ kafka, logger, topics, instanceId: `a-${tag}` });
  replicaB = createKafkaJobStore({ kafka, logger, topics, instanceId: `b-${tag}` });
  await Promise.all([replicaA.ready(), replicaB.ready()]);
  replicaB.subscribe((event) => seenByB.push(event));
});

after(async () => {
  await replicaA?.close();
  await replicaB?.close();
  await admin?.deleteTopics({ topics: [topics.jobs, topics.jobIds, healthTopic] }).catch(() => undefined);
  await admin?.disconnect();
});

void test('ids allocated concurrently by two replicas are all different, and each replica sees its own increase', async () => {
  const allocate = async (store: JobStore): Promise<number[]> => {
    const ids: number[] = [];
    for (let i = 0; i < 15; i++) ids.push(await store.nextJobId());
    return ids;
  };
  const burst = (store: JobStore): Promise<number[]> => Promise.all(Array.from({ length: 10 }, () => store.nextJobId()));
  const [a, b, burstA, burstB] = await Promise.all([allocate(replicaA), allocate(replicaB), burst(replicaA), burst(replicaB)]);
  const all = [...a, ...b, ...burstA, ...burstB];
  assert.equal(new Set(all).size, all.length, `duplicate ids among ${all.join(',')}`);
  for (const ids of [a, b]) assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
  assert.ok(all.every((id) => Number.isSafeInteger(id) && id >= 1));
  const later = await replicaB.nextJobId();
  assert.ok(all.every((id) => id < later), 'an id handed out afterwards is larger than every earlier one');
});

void test('a job written by one replica is in its own view at once and reaches the other through subscribe', async () => {
  const id = await replicaA.nextJobId();
  await replicaA.putJob(job(id));
  assert.deepEqual(replicaA.jobs().get(id), job(id), 'read-your-writes on the writing replica');
  await waitFor('replica B hears of the job', () => seenByB.some((e) => e.type === 'job' && e.id === id && e.job !== null));
  assert.deepEqual(replicaB.jobs().get(id), job(id));

  await replicaB.putJob(job(id, { enabled: false, filter: '{"where":{"key":"ClientIP","operator":"eq","value":"1.2.3.4"}}' }));
  await replicaA.ready();
  assert.equal(replicaA.jobs().get(id)?.enabled, false, 'the update from B is in A after ready()');
  assert.match(replicaA.jobs().get(id)?.filter ?? '', /1\.2\.3\.4/);
});

void test('a deleted job leaves both views, announced as a null job', async () => {
  const id = await replicaA.nextJobId();
  await replicaA.putJob(job(id));
  await replicaA.deleteJob(id);
  assert.equal(replicaA.jobs().has(id), false);
  await waitFor('replica B hears of the deletion', () => seenByB.some((e) => e.type === 'job' && e.id === id && e.job === null));
  assert.equal(replicaB.jobs().has(id), false);
});

void test('custom fields of a zone are written, seen by the other replica, and cleared', async () => {
  const fields = { request_fields: [{ name: 'cf-access-user' }], cookie_fields: [{ name: 'session' }] };
  await replicaB.putCustomFields(zoneId, fields);
  await waitFor('replica A holds the custom fields', () => replicaA.customFields().has(zoneId));
  assert.deepEqual(replicaA.customFields().get(zoneId), fields);
  await replicaA.putCustomFields(zoneId, null);
  assert.equal(replicaA.customFields().has(zoneId), false);
  await waitFor('replica B hears the fields cleared', () => seenByB.some((e) => e.type === 'custom-fields' && e.zoneId === zoneId && e.fields === null));
  assert.equal(replicaB.customFields().has(zoneId), false);
});

void test('an invalid job is refused before it is written', async () => {
  const id = await replicaA.nextJobId();
  await assert.rejects(replicaA.putJob(job(id, { output_options: { field_names: ['NotAField'] } })), { code: 'JOB_STORE_INVALID_VALUE' });
  await replicaA.ready();
  assert.equal(replicaA.jobs().has(id), false);
});

void test('a corrupt record is logged with its offset and skipped; the view reads on and its id is never handed out', async () => {
  const before = await replicaA.nextJobId();
  const corruptId = before + 500;
  const kept = await replicaA.nextJobId();
  await replicaA.putJob(job(kept));
  await produceRaw(jobKey(corruptId), '{"id": oops');
  await produceRaw(jobKey(kept), JSON.stringify({ ...job(kept), output_options: { field_names: [] } }));
  const after = await replicaB.nextJobId();
  await replicaB.putJob(job(after, { name: 'after-corruption' }));
  await waitFor('replica A applies the write after the corrupt records', () => replicaA.jobs().get(after)?.name === 'after-corruption');
  assert.equal(replicaA.jobs().has(corruptId), false);
  assert.deepEqual(replicaA.jobs().get(kept), job(kept), 'an invalid update keeps the last valid version');
  assert.ok(after > corruptId, `the id after the corrupt record (${after}) is above the id it named (${corruptId})`);
  const warnings = logLines.filter((line) => line.includes('corrupt record in the job store'));
  assert.ok(warnings.some((line) => line.includes(`"topic":"${topics.jobs}"`) && /"offset":"\d+"/.test(line) && line.includes('not JSON')), warnings.join('\n'));
  await replicaA.deleteJob(corruptId);
});

void test('a job written with an explicit id far above the allocator pushes later ids past it', async () => {
  const explicit = (await replicaA.nextJobId()) + 5_000;
  await replicaA.putJob(job(explicit));
  await replicaB.ready();
  const next = await replicaB.nextJobId();
  assert.ok(next > explicit, `${next} > ${explicit}`);
});

void test('a fresh instance rebuilds exactly the same view from the compacted topic', async () => {
  await replicaB.putCustomFields(zoneId, { response_fields: [{ name: 'content-type' }] });
  await replicaA.ready();
  const fresh = createKafkaJobStore({ kafka, logger, topics });
  try {
    await fresh.ready();
    assert.ok(replicaA.jobs().size >= 4);
    assert.deepEqual(new Map(fresh.jobs()), new Map(replicaA.jobs()));
    assert.deepEqual(new Map(fresh.customFields()), new Map(replicaA.customFields()));
  } finally {
    await fresh.close();
  }
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
  assert.ok(!groups.some((g) => g.startsWith(`sluice-view-${topics.jobs}-`) && !g.endsWith(`a-${tag}`) && !g.endsWith(`b-${tag}`)), 'a closed view deletes its consumer group');
});

void test('health reports published by one worker are read by another, latest per job, and rebuilt from the topic', async () => {
  const report = (id: number, delivered: number): JobHealth => ({
    id,
    last_complete: '2026-01-01T00:00:00.000Z',
    last_error: null,
    error_message: null,
    reported_at: new Date().toISOString(),
    worker: 'worker-1',
    records_delivered: delivered,
  });
  const writer: KafkaHealthStore = createKafkaHealthStore({ kafka, logger, topic: healthTopic });
  const reader: KafkaHealthStore = createKafkaHealthStore({ kafka, logger, topic: healthTopic });
  try {
    await writer.publish([report(1, 10), report(2, 20)]);
    await writer.publish([report(1, 15)]);
    assert.equal(writer.health().get(1)?.records_delivered, 15, 'publish resolves once the writer itself reads it');
    await reader.ready();
    assert.deepEqual(new Map(reader.health()), new Map(writer.health()));
    assert.equal(reader.health().get(2)?.records_delivered, 20);
  } finally {
    await writer.close();
    await reader.close();
  }
  const fresh = createKafkaHealthStore({ kafka, logger, topic: healthTopic });
  try {
    await fresh.ready();
    assert.equal(fresh.health().get(1)?.records_delivered, 15);
  } finally {
    await fresh.close();
  }
});
