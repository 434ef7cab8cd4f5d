import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRecordDecoder, createRecordEncoder, topicFor } from '@sluice/schemas';
import { createRecordPublisher } from '../../../src/publish/record-publisher.js';
import type { RecordPublisherOptions } from '../../../src/publish/record-publisher.js';
import type { PublishedMessage } from '../../../src/publish/published-message.js';
import { QUARANTINE_FILE } from '../../../src/publish/sizing/quarantine-file.js';
import { CUT_MARK, ORIGINAL_BYTES_HEADER, TRUNCATED_HEADER } from '../../../src/publish/sizing/record-fitting.js';
import { brokerError, capturingLogger, createFakeKafka, refuseLargerThan, tempSpoolDir } from '../publish-fixtures.js';
import type { FakeKafka } from '../publish-fixtures.js';

const MB = 1024 * 1024;
const TOPIC = topicFor('http_requests');

function options(kafka: FakeKafka, spoolDir: string, extra: Partial<RecordPublisherOptions> = {}): RecordPublisherOptions {
  return { connect: kafka.connect, spoolDir, logger: capturingLogger().logger, lingerMs: 1, retryDelayMs: { initial: 1, max: 5 }, ...extra };
}

/** A record the size of one with a 15 KB URL logged twice (URI and path), as in the flood. */
function bulky(n: number, bytes = 30_000): PublishedMessage {
  return { topic: TOPIC, value: Buffer.from(`r${n}:${'x'.repeat(bytes)}`), key: `ray-${n}`, headers: {}, timestampMs: 1_700_000_000_000 + n };
}

const numbers = (kafka: FakeKafka): number[] => kafka.acked.map((r) => Number(r.slice(TOPIC.length + 2, r.indexOf(':', TOPIC.length + 1))));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function encodedRequest(uri: string): Buffer {
  return createRecordEncoder('http_requests')({ RayID: '8f0c1a2b3c4d5e6f', ClientRequestURI: uri, ClientRequestPath: uri, ClientRequestHost: 'wiki.example.com', EdgeResponseStatus: 401 });
}

test('a flood of large records never wedges the publisher: every send stays under the broker limit', async (t) => {
  const kafka = createFakeKafka();
  kafka.refuse = refuseLargerThan(1 * MB);
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t)));
  for (let n = 1; n <= 2_000; n++) publisher.publish(bulky(n));
  assert.equal(await publisher.drained(20_000), true, `published ${publisher.stats().published}, on disk ${publisher.stats().spoolRecords}`);
  assert.deepEqual(numbers(kafka), range(1, 2_000));
  assert.equal(publisher.stats().spoolRecords, 0);
  await publisher.close();
});

test('a send the broker refuses as too large is sent again in halves, and the smaller size is kept', async (t) => {
  const kafka = createFakeKafka();
  // The broker's real limit is below what the publisher believes (1 MB by default).
  kafka.refuse = refuseLargerThan(200_000);
  const { logger, lines } = capturingLogger();
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { logger }));
  for (let n = 1; n <= 300; n++) publisher.publish(bulky(n, 10_000));
  assert.equal(await publisher.drained(20_000), true);
  assert.deepEqual(numbers(kafka), range(1, 300));
  assert.ok(kafka.sendSizes.every((size) => size * 10_000 <= 200_000));
  assert.ok(lines.some((l) => l.msg.includes('sending in smaller parts')));
  assert.equal(publisher.stats().quarantined ?? 0, 0);
  await publisher.close();
});

test('a record too large alone is sent truncated, decodable, with headers and a mark saying so', async (t) => {
  const kafka = createFakeKafka();
  const sent: PublishedMessage[] = [];
  kafka.refuse = (topic, records) => {
    for (const r of records) sent.push({ topic, value: r.value, headers: (r.headers ?? {}) as Record<string, string>, timestampMs: 0 });
    return refuseLargerThan(1 * MB)(topic, records);
  };
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t)));
  const uri = `/${'a'.repeat(2 * MB)}`;
  publisher.publish({ topic: TOPIC, value: encodedRequest(uri), key: 'ray-big', headers: { 'sluice-zone': 'z' }, timestampMs: 1 });
  publisher.publish(bulky(2));
  assert.equal(await publisher.drained(10_000), true);
  assert.equal(kafka.acked.length, 2);
  const big = sent[0];
  assert.ok(big.value.length < MB);
  assert.deepEqual(big.headers[TRUNCATED_HEADER]?.split(',').sort(), ['ClientRequestPath', 'ClientRequestURI']);
  assert.equal(big.headers[ORIGINAL_BYTES_HEADER], String(encodedRequest(uri).length));
  assert.equal(big.headers['sluice-zone'], 'z');
  const decoded = createRecordDecoder('http_requests')(big.value);
  assert.ok(decoded.ok);
  assert.ok(String(decoded.record['ClientRequestURI']).endsWith(CUT_MARK));
  assert.equal(decoded.record['EdgeResponseStatus'], 401);
  assert.equal(publisher.stats().truncated, 1);
  await publisher.close();
});

test('a record that cannot be made to fit is quarantined, counted, and the records behind it go on', async (t) => {
  const kafka = createFakeKafka();
  kafka.refuse = refuseLargerThan(1 * MB);
  const dir = tempSpoolDir(t);
  const publisher = await createRecordPublisher(options(kafka, dir));
  publisher.publish(bulky(1));
  // Not a record the schema decodes: nothing to cut.
  publisher.publish(bulky(2, 2 * MB));
  for (let n = 3; n <= 40; n++) publisher.publish(bulky(n));
  assert.equal(await publisher.drained(10_000), true);
  assert.deepEqual(numbers(kafka), [1, ...range(3, 40)]);
  assert.equal(publisher.stats().quarantined, 1);
  await publisher.close();
  assert.ok(readFileSync(join(dir, QUARANTINE_FILE)).includes('ray-2'));
});

test('a record the broker refuses for its content is set aside without holding back the others', async (t) => {
  const kafka = createFakeKafka();
  kafka.refuse = (_topic, records) => (records.some((r) => r.value.toString().startsWith('r13:')) ? brokerError('INVALID_RECORD', 87, 'This record has failed the validation on broker and hence be rejected.') : undefined);
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t)));
  for (let n = 1; n <= 50; n++) publisher.publish(bulky(n, 10));
  assert.equal(await publisher.drained(10_000), true);
  assert.deepEqual(numbers(kafka), range(1, 50).filter((n) => n !== 13));
  assert.equal(publisher.stats().quarantined, 1);
  await publisher.close();
});

test('oversized records spooled while Kafka was down replay without wedging', async (t) => {
  const kafka = createFakeKafka('down');
  kafka.refuse = refuseLargerThan(1 * MB);
  const publisher = await createRecordPublisher(options(kafka, tempSpoolDir(t), { sendTimeoutMs: 200 }));
  for (let n = 1; n <= 500; n++) publisher.publish(bulky(n));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(publisher.stats().mode, 'spooling');
  kafka.state = 'up';
  assert.equal(await publisher.drained(20_000), true);
  assert.deepEqual(numbers(kafka), range(1, 500));
  await publisher.close();
});
