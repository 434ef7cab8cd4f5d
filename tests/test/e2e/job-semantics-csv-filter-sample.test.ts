// Logpush job semantics end to end: nested filter + sample_rate + rfc3339 + custom fields + CSV,
// checked byte for byte against a reference computation written here, independently of the pipeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_DATASET_PARTITIONS, ensureTopics } from '@sluice/kafka';
import { ZONE_ID_FIELD, ZONE_ID_HEADER, createRecordEncoder, deriveHexId, topicFor } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import { sampleHash } from '@sluice/pipeline';
import { createTestBucket, readStoredObjects, runSluice, runTag, s3DestinationConf, testEnv, testKafka, testS3 } from '../../src/index.js';
import type { SluiceRun, StoredObject } from '../../src/index.js';

const KEPT_RECORDS = 4_000;
const OTHER_RECORDS = 1_000;
const SAMPLE_RATE = 0.5;
const FIELDS = ['RayID', 'ClientRequestHost', 'ClientRequestMethod', 'ClientRequestURI', 'EdgeResponseStatus', 'EdgeResponseBytes', 'EdgeStartTimestamp', 'RequestHeaders', 'Cookies'];
const HEADER_LINE = `${FIELDS.join(',')}\n`;
const FILTER = {
  where: {
    and: [
      { or: [{ key: 'EdgeResponseStatus', operator: 'in', value: [200, 404] }, { key: 'ClientRequestURI', operator: 'startsWith', value: '/admin' }] },
      { key: 'ClientRequestMethod', operator: '!eq', value: 'OPTIONS' },
      { key: 'EdgeResponseBytes', operator: 'geq', value: '1000' },
    ],
  },
};

const env = testEnv();
const tag = runTag();
const keptZone = deriveHexId(`zone:semantics-${tag}`);
const otherZone = deriveHexId(`zone:semantics-other-${tag}`);
const jobId = 200_000 + Number.parseInt(tag.slice(0, 5), 16);
const bucket = `e2e-semantics-${tag}`;
let kafka: Kafka;
let s3: S3Client;
let run: SluiceRun;
let objects: StoredObject[];

interface Published {
  record: DatasetRecord;
  partition: number;
  offset: number;
}
const published: Published[] = [];

/** The published per-request audit records (samples/access-per-request.ndjson), varied into many. */
async function sourceRecords(): Promise<DatasetRecord[]> {
  const text = await readFile(new URL('../../../../../shared/reference/samples/access-per-request.ndjson', import.meta.url), 'utf8');
  const samples = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  const statuses = [200, 302, 404, 500, 200];
  const methods = ['GET', 'POST', 'OPTIONS', 'GET'];
  const uris = ['/secure/Dashboard.jspa', '/admin/users', '/browse/EXP-12?q="quoted",comma', '/static/app.js', '/admin'];
  const users = ['srhea', 'jdoe', 'ünïcode'];
  const records: DatasetRecord[] = [];
  for (let i = 0; i < KEPT_RECORDS + OTHER_RECORDS; i++) {
    const base = samples[i % samples.length] ?? {};
    const startNs = BigInt(Date.parse(String(base['EdgeStartTimestamp']))) * 1_000_000n + BigInt(i) * 123_456_789n;
    records.push({
      ...base,
      EdgeStartTimestamp: startNs,
      EdgeEndTimestamp: startNs + 5_000_000n,
      RayID: `${(i + 0x1000).toString(16).padStart(8, '0')}${tag}`,
      ClientRequestMethod: methods[i % methods.length],
      ClientRequestURI: uris[(i * 7) % uris.length],
      EdgeResponseStatus: statuses[(i * 3) % statuses.length],
      EdgeResponseBytes: 500 + ((i * 389) % 4_000),
      RequestHeaders: { 'cf-access-user': users[i % users.length], authorization: 'Bearer must-never-be-delivered', 'user-agent': String(base['ClientRequestUserAgent']) },
      Cookies: { session: `s${i}`, theme: i % 2 === 0 ? 'dark' : 'light' },
      [ZONE_ID_FIELD]: i < KEPT_RECORDS ? keptZone : otherZone,
    });
  }
  return records;
}

/** Publishes with explicit partitions in one request, so each record's offset is known exactly. */
async function publish(records: DatasetRecord[]): Promise<void> {
  const encode = createRecordEncoder('http_requests');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const messages = records.map((record, i) => ({
      partition: i % DEFAULT_DATASET_PARTITIONS,
      value: encode(record),
      headers: { [ZONE_ID_HEADER]: String(record[ZONE_ID_FIELD]) },
    }));
    const metadata = await producer.send({ topic: topicFor('http_requests'), acks: -1, messages });
    const base = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset)]));
    const next = new Map<number, number>();
    records.forEach((record, i) => {
      const partition = i % DEFAULT_DATASET_PARTITIONS;
      const index = next.get(partition) ?? 0;
      next.set(partition, index + 1);
      published.push({ record, partition, offset: (base.get(partition) ?? NaN) + index });
    });
  } finally {
    await producer.disconnect();
  }
}

before(async () => {
  kafka = testKafka(env, 'e2e-semantics');
  s3 = testS3(env);
  await createTestBucket(s3, bucket);
  await ensureTopics(kafka, [{ topic: topicFor('http_requests'), numPartitions: DEFAULT_DATASET_PARTITIONS }]);
  const startFrom = new Date(Date.now() - 5_000).toISOString();
  await publish(await sourceRecords());

  const dir = await mkdtemp(join(tmpdir(), 'sluice-e2e-semantics-'));
  const jobsFile = join(dir, 'jobs.json');
  const job = {
    id: jobId,
    name: `semantics-${tag}`,
    dataset: 'http_requests',
    zone_id: keptZone,
    enabled: true,
    destination_conf: s3DestinationConf(env, bucket, 'csv/{DATE}'),
    filter: JSON.stringify(FILTER),
    output_options: {
      field_names: FIELDS,
      output_type: 'csv',
      batch_prefix: HEADER_LINE,
      timestamp_format: 'rfc3339',
      sample_rate: SAMPLE_RATE,
    },
    max_upload_records: 1_000,
    start_from: startFrom,
  };
  const customFields = { [keptZone]: { request_fields: [{ name: 'cf-access-user' }], cookie_fields: [{ name: 'theme' }] } };
  await writeFile(jobsFile, JSON.stringify({ jobs: [job], custom_fields: customFields }));
  run = await runSluice(['pusher', '--jobs', jobsFile, '--exit-when-idle', '4']);
  objects = await readStoredObjects(s3, bucket);
});

after(() => s3?.destroy());

// ---- The reference computation: plain code that follows logpush.md, sharing nothing with the pipeline but the sampling hash.

function passesFilter(r: DatasetRecord): boolean {
  const status = Number(r['EdgeResponseStatus']);
  const uri = String(r['ClientRequestURI']);
  return (status === 200 || status === 404 || uri.startsWith('/admin')) && r['ClientRequestMethod'] !== 'OPTIONS' && Number(r['EdgeResponseBytes']) >= 1000;
}

function sampled(p: Published): boolean {
  return sampleHash(jobId, p.partition, p.offset) < SAMPLE_RATE * 2 ** 32;
}

/** RFC 4180: strings in double quotes, inner quotes doubled. */
function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function expectedLine(r: DatasetRecord): string {
  const seconds = new Date(Number((r['EdgeStartTimestamp'] as bigint) / 1_000_000n)).toISOString().slice(0, 19);
  const headers = r['RequestHeaders'] as Record<string, string>;
  const cookies = r['Cookies'] as Record<string, string>;
  return [
    quoted(String(r['RayID'])),
    quoted(String(r['ClientRequestHost'])),
    quoted(String(r['ClientRequestMethod'])),
    quoted(String(r['ClientRequestURI'])),
    String(r['EdgeResponseStatus']),
    String(r['EdgeResponseBytes']),
    quoted(`${seconds}Z`),
    quoted(JSON.stringify({ 'cf-access-user': headers['cf-access-user'] })),
    quoted(JSON.stringify({ theme: cookies['theme'] })),
  ].join(',') + '\n';
}

/** Kept records of each partition, in offset order. */
function expectedByPartition(): Map<number, Published[]> {
  const byPartition = new Map<number, Published[]>();
  for (const p of published) {
    if (p.record[ZONE_ID_FIELD] !== keptZone || !passesFilter(p.record) || !sampled(p)) continue;
    const list = byPartition.get(p.partition) ?? [];
    list.push(p);
    byPartition.set(p.partition, list);
  }
  for (const list of byPartition.values()) list.sort((a, b) => a.offset - b.offset);
  return byPartition;
}

test('the pusher exits cleanly', () => {
  assert.equal(run.code, 0, run.stderr);
});

test('the reference keeps a plausible share: the filter and the sampler both remove records', () => {
  const kept = [...expectedByPartition().values()].reduce((n, list) => n + list.length, 0);
  const filtered = published.filter((p) => p.record[ZONE_ID_FIELD] === keptZone && passesFilter(p.record)).length;
  assert.ok(filtered < KEPT_RECORDS * 0.8 && filtered > KEPT_RECORDS * 0.2, `filter passes ${filtered} of ${KEPT_RECORDS}`);
  assert.ok(Math.abs(kept - filtered * SAMPLE_RATE) < 5 * Math.sqrt(filtered * SAMPLE_RATE * (1 - SAMPLE_RATE)), `sampled ${kept} of ${filtered}`);
});

test('every object is exactly the header line plus the predicted CSV lines of its partition, from its first offset on', () => {
  const expected = expectedByPartition();
  assert.ok(objects.length > 0, 'objects stored');
  for (const object of objects) {
    const match = /_job(\d+)-p(\d+)-o(\d+)\.log\.gz$/.exec(object.key);
    assert.ok(match, `object key ${object.key}`);
    const list = expected.get(Number(match[2])) ?? [];
    const start = list.findIndex((p) => p.offset === Number(match[3]));
    assert.ok(start >= 0, `${object.key} starts at a record the reference keeps`);
    const count = object.lines.length - 1;
    const body = HEADER_LINE + list.slice(start, start + count).map((p) => expectedLine(p.record)).join('');
    assert.equal(object.text, body, `bytes of ${object.key}`);
  }
});

test('together the objects hold every predicted record exactly once, and nothing else', () => {
  const expected = expectedByPartition();
  const predicted = [...expected.values()].flat().map((p) => expectedLine(p.record)).sort();
  const delivered = objects.flatMap((o) => o.lines.slice(1).map((line) => `${line}\n`)).sort();
  assert.deepEqual(delivered, predicted);
});

test('no unlisted header or cookie reaches the destination', () => {
  for (const object of objects) {
    assert.ok(!object.text.includes('must-never-be-delivered'), `authorization header in ${object.key}`);
    assert.ok(!object.text.includes('session'), `unlisted cookie in ${object.key}`);
  }
});
