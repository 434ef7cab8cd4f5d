// The elasticsearch:// destination against a real OpenSearch: a replayed batch is stored once, and a document the mapping refuses is reported with its offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { DeliveryBatch } from '@sluice/destinations';
import { defaultDestinations, validateDestination } from '@sluice/destinations';
import { createIndex, deleteIndex, hostPort, opensearchUrl, runTag, storedDocuments } from '../../src/index.js';

/** A batch as the pusher builds it for job `jobId`, partition 3: NDJSON lines and each record's Kafka offset. */
function batchOf(lines: readonly string[], offsets: readonly number[], jobId: number): DeliveryBatch {
  const text = lines.map((line) => `${line}\n`).join('');
  const now = Date.now();
  return { body: gzipSync(text), records: lines.length, uncompressedBytes: Buffer.byteLength(text), startTimeMs: now, endTimeMs: now, suffix: `${jobId}-3-${offsets[0] ?? 0}`, origin: { jobId, partition: 3, offsets } };
}

function records(count: number, tag: string): string[] {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ RayID: `${tag}-${i}`, ClientIP: `198.51.100.${i}`, EdgeResponseStatus: 200 + i, EdgeStartTimestamp: 1_769_860_800_000 + i }));
}

test('a batch delivered twice (a replay after a crash) is stored exactly once, under ids made of job, partition and offset', async (t) => {
  const url = opensearchUrl();
  const index = `replay-${runTag()}`;
  await createIndex(url, index);
  t.after(() => deleteIndex(url, index));
  const destination = defaultDestinations.create(`elasticsearch://${hostPort(url)}/${index}?tls=false`);
  t.after(() => destination.close());
  const lines = records(40, 'replay');
  const offsets = lines.map((_, i) => 5_000 + i * 2);
  const batch = batchOf(lines, offsets, 41);

  const first = await destination.deliver(batch, AbortSignal.timeout(30_000));
  const replay = await destination.deliver(batch, AbortSignal.timeout(30_000));

  assert.deepEqual(first, { status: 'delivered', location: `elasticsearch://${hostPort(url)}/${index}` });
  assert.deepEqual(replay, first, 'every create of the replay answered 409, which counts as delivered');
  const stored = await storedDocuments(url, index);
  assert.equal(stored.length, 40);
  assert.deepEqual(stored.map((document) => document.id).sort(), offsets.map((offset) => `41-3-${offset}`).sort());
  const byId = new Map(stored.map((document) => [document.id, JSON.stringify(document.source)]));
  lines.forEach((line, i) => assert.equal(byId.get(`41-3-${offsets[i]}`), line, `document at offset ${offsets[i]}`));
});

test('a document that violates the index mapping is reported in refused with its offset, while the rest are stored', async (t) => {
  const url = opensearchUrl();
  const index = `mapping-${runTag()}`;
  await createIndex(url, index, { RayID: { type: 'keyword' }, EdgeResponseStatus: { type: 'integer' } });
  t.after(() => deleteIndex(url, index));
  const destination = defaultDestinations.create(`opensearch://${hostPort(url)}/${index}?tls=false`);
  t.after(() => destination.close());
  const lines = records(5, 'mapping');
  const bad = '{"RayID":"mapping-bad","EdgeResponseStatus":"two hundred"}';
  lines.splice(2, 0, bad);
  const offsets = [100, 101, 102, 104, 105, 106];

  const result = await destination.deliver(batchOf(lines, offsets, 42), AbortSignal.timeout(30_000));

  assert.ok(result.status === 'delivered', JSON.stringify(result));
  assert.equal(result.refused?.length, 1, JSON.stringify(result.refused));
  const [refused] = result.refused ?? [];
  assert.equal(refused?.offset, 102);
  assert.equal(refused?.code, 'mapper_parsing_exception');
  assert.match(refused?.reason ?? '', /failed to parse field \[EdgeResponseStatus\] of type \[integer\]/);
  assert.equal(refused?.document, bad);
  const stored = await storedDocuments(url, index);
  assert.deepEqual(stored.map((document) => document.id).sort(), ['42-3-100', '42-3-101', '42-3-104', '42-3-105', '42-3-106']);

  const replay = await destination.deliver(batchOf(lines, offsets, 42), AbortSignal.timeout(30_000));
  assert.ok(replay.status === 'delivered', JSON.stringify(replay));
  assert.deepEqual(replay.refused?.map((record) => record.offset), [102], 'a replay refuses the same document again and stores nothing twice');
  assert.equal((await storedDocuments(url, index)).length, 5);
});

test('validation against the real index writes its test document once, however often it runs', async (t) => {
  const url = opensearchUrl();
  const index = `validate-${runTag()}`;
  t.after(() => deleteIndex(url, index));
  const conf = `elasticsearch://${hostPort(url)}/${index}?tls=false`;

  const first = await validateDestination(defaultDestinations, conf, AbortSignal.timeout(30_000));
  const second = await validateDestination(defaultDestinations, conf, AbortSignal.timeout(30_000));

  assert.equal(first.status, 'delivered', JSON.stringify(first));
  assert.equal(second.status, 'delivered', JSON.stringify(second));
  assert.deepEqual(await storedDocuments(url, index), [{ id: 'sluice-validation-0', source: { content: 'tests' } }]);
});
