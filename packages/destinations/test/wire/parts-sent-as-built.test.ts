// Splunk, Elasticsearch and Datadog send a batch built in their wire encoding part by part, as built: nothing inflated or compressed again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { parseDatadogConf } from '../../src/datadog/datadog-config.js';
import { createDatadogDestination } from '../../src/datadog/datadog-destination.js';
import type { DeliveryBatch, Destination } from '../../src/destination.js';
import { parseElasticsearchConf } from '../../src/elasticsearch/elasticsearch-config.js';
import { createElasticsearchDestination } from '../../src/elasticsearch/elasticsearch-destination.js';
import { gunzipText } from '../../src/gzip/gzip-text.js';
import { BATCH_ID_HEADER } from '../../src/http-client/batch-id-header.js';
import type { HttpOutcome, HttpRequest } from '../../src/http-client/http-client.js';
import { withRetry } from '../../src/retry/with-retry.js';
import { parseSplunkConf } from '../../src/splunk-hec/splunk-config.js';
import { createSplunkDestination } from '../../src/splunk-hec/splunk-destination.js';
import { wireParts } from '../../src/wire/wire-parts.js';
import { headerOf, recordingClient, reply } from '../support/fake-http-client.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';

const never = new AbortController().signal;
const noWait = { sleep: () => Promise.resolve() };
const lines = Array.from({ length: 3_000 }, (_, i) => `{"RayID":"${(0x7f000000 + i).toString(16)}","n":${i},"pad":"${'p'.repeat(200)}"}`);
const HEC_OK = reply(200, '{"text":"Success","code":0}');

/** The batch as the pipeline builds it for `destination`: its parts in the destination's wire encoding, views into one body. */
async function builtFor(destination: Destination): Promise<DeliveryBatch> {
  const plain: DeliveryBatch = { ...ndjsonBatch(lines, 'job5-p3-o0'), origin: { jobId: 5, partition: 3, offsets: lines.map((_, i) => i) } };
  const encoding = destination.wireEncoding;
  assert.ok(encoding, `${destination.kind} declares a wire encoding`);
  const { parts } = await wireParts(plain, encoding);
  return { ...plain, body: Buffer.concat(parts.map((part) => part.body)), parts, encoding: encoding.name };
}

/** A gunzip that counts its calls: the happy path must make none. */
function countingGunzip(): { calls: number; gunzip: (body: Buffer) => Promise<string> } {
  const counter = { calls: 0, gunzip: (body: Buffer) => (counter.calls++, gunzipText(body)) };
  return counter;
}

function bulkReply(request: HttpRequest): HttpOutcome {
  const items = gunzipSync(request.body).toString('utf8').split('\n').length >> 1;
  return reply(200, JSON.stringify({ errors: false, items: Array.from({ length: items }, () => ({ create: { status: 201 } })) }));
}

/** Each request body is exactly one part of the batch, byte for byte, in order, named by its part on every attempt. */
function assertSentAsBuilt(batch: DeliveryBatch, requests: readonly HttpRequest[], order: readonly number[]): void {
  const parts = batch.parts ?? [];
  assert.deepEqual(requests.map((request) => parts.findIndex((part) => part.body.equals(request.body))), order);
  const ids = requests.map((request) => headerOf(request, BATCH_ID_HEADER));
  assert.deepEqual(ids, order.map((k) => (k === 0 ? 'job5-p3-o0' : `job5-p3-o0-part${k}`)));
}

test('splunk: each part goes out as built, one request each, and a retry resends only the part that failed, under the same id', async () => {
  const parsed = parseSplunkConf('splunk://hec.example.com:8088/services/collector/event?sourcetype=cf&header_Authorization=Splunk%20b1e55ed0-0000-4000-8000-000000000001');
  assert.ok(parsed.ok);
  let calls = 0;
  const client = recordingClient(() => (++calls === 2 ? reply(503, '{"text":"Server is busy","code":9}') : HEC_OK));
  const counter = countingGunzip();
  const destination = createSplunkDestination(parsed.config, { transport: client, maxRequestBytes: 200_000, gunzip: counter.gunzip });
  const batch = await builtFor(destination);
  const parts = batch.parts?.length ?? 0;
  assert.ok(parts >= 3, `${parts} parts`);

  assert.equal((await withRetry(destination, noWait).deliver(batch, never)).status, 'delivered');

  assertSentAsBuilt(batch, client.requests, [0, 1, 1, ...Array.from({ length: parts - 2 }, (_, i) => i + 2)]);
  assert.equal(counter.calls, 0, 'no part was inflated');
});

test('elasticsearch: each part goes out as built; a part is inflated only when its reply reports failed items, and only those are resent', async () => {
  const parsed = parseElasticsearchConf('elasticsearch://es.example.com:9200/logs-edge?header_Authorization=ApiKey%20c2VjcmV0OmtleQ==');
  assert.ok(parsed.ok);
  let calls = 0;
  const client = recordingClient((request) => {
    if (++calls !== 2) return bulkReply(request);
    // The second part: its first item is busy, its second refused for good, the rest stored.
    const items = gunzipSync(request.body).toString('utf8').split('\n').length >> 1;
    return reply(200, JSON.stringify({ errors: true, items: Array.from({ length: items }, (_, i) => ({ create: i === 0 ? { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'busy' } } : i === 1 ? { status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } } : { status: 201 } })) }));
  });
  const counter = countingGunzip();
  const destination = createElasticsearchDestination(parsed.config, { transport: client, maxRequestBytes: 200_000, gunzip: counter.gunzip, sleep: () => Promise.resolve() });
  const batch = await builtFor(destination);
  const parts = batch.parts ?? [];
  assert.ok(parts.length >= 3, `${parts.length} parts`);

  const result = await destination.deliver(batch, never);

  assert.equal(result.status, 'delivered');
  const refusedAt = parts[0]?.records ?? 0;
  assert.deepEqual(result.status === 'delivered' && result.refused?.map((r) => [r.offset, r.code, r.document]), [[refusedAt + 1, 'mapper_parsing_exception', lines[refusedAt + 1]]]);
  assert.equal(counter.calls, 1, 'only the part whose reply reported failures was inflated');
  const [first, second, resend, ...rest] = client.requests;
  assertSentAsBuilt(batch, [first, second, ...rest].filter((r): r is HttpRequest => r !== undefined), [0, 1, ...parts.slice(2).map((_, i) => i + 2)]);
  assert.equal(gunzipSync(resend?.body ?? Buffer.alloc(0)).toString('utf8'), `{"create":{"_id":"5-3-${refusedAt}"}}\n${lines[refusedAt]}\n`, 'the busy item alone is resent');
  assert.equal(headerOf(resend, BATCH_ID_HEADER), `job5-p3-o0-part1-r${refusedAt}`);
});

test('datadog: each array goes out as built, one request per part, never inflated', async () => {
  const parsed = parseDatadogConf('datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=dd0123456789abcdef');
  assert.ok(parsed.ok);
  const client = recordingClient(() => reply(202, '{}'));
  const destination = createDatadogDestination(parsed.config, { transport: client });
  const batch = await builtFor(destination);
  // A gunzip of a part would not be seen here; a body that is not gzip at all proves the destination never reads it.
  const unreadable: DeliveryBatch = { ...batch, body: Buffer.from('not gzip') };

  assert.equal((await destination.deliver(unreadable, never)).status, 'delivered');

  assertSentAsBuilt(batch, client.requests, [0, 1, 2]);
});
