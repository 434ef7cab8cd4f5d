// A 200,000-record batch to Splunk, Elasticsearch and Datadog goes out in bounded requests, every record once and in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { parseDatadogConf } from '../../src/datadog/datadog-config.js';
import { createDatadogDestination } from '../../src/datadog/datadog-destination.js';
import type { DeliveryBatch } from '../../src/destination.js';
import { parseElasticsearchConf } from '../../src/elasticsearch/elasticsearch-config.js';
import { createElasticsearchDestination, DEFAULT_ES_MAX_REQUEST_BYTES } from '../../src/elasticsearch/elasticsearch-destination.js';
import type { HttpRequest } from '../../src/http-client/http-client.js';
import { parseSplunkConf } from '../../src/splunk-hec/splunk-config.js';
import { createSplunkDestination, DEFAULT_HEC_MAX_REQUEST_BYTES } from '../../src/splunk-hec/splunk-destination.js';
import { recordingClient, reply } from '../support/fake-http-client.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';

const RECORDS = 200_000;
const never = new AbortController().signal;
const lines = Array.from({ length: RECORDS }, (_, i) => `{"RayID":"${(0x7f000000 + i).toString(16)}","n":${i}}`);
const batch: DeliveryBatch = { ...ndjsonBatch(lines, 'job5-p3-o0'), origin: { jobId: 5, partition: 3, offsets: lines.map((_, i) => i) } };
const text = (request: HttpRequest): string => gunzipSync(request.body).toString('utf8');
const HEC_OK = reply(200, '{"text":"Success","code":0}');

test('splunk: requests stay within the HEC bound, and a retry after a failed request sends only the records not yet accepted', async () => {
  const parsed = parseSplunkConf('splunk://hec.example.com:8088/services/collector/raw?header_Authorization=Splunk%20b1e55ed0-0000-4000-8000-000000000001');
  assert.ok(parsed.ok);
  let calls = 0;
  const client = recordingClient(() => (++calls === 3 ? reply(503, '{"text":"Server is busy","code":9}') : HEC_OK));
  const destination = createSplunkDestination(parsed.config, { transport: client });

  const first = await destination.deliver(batch, never);
  const second = await destination.deliver(batch, never);

  assert.equal(first.status, 'retryable');
  assert.equal(second.status, 'delivered');
  const bodies = client.requests.map(text);
  assert.ok(bodies.length > 5, `${bodies.length} requests`);
  for (const body of bodies) assert.ok(Buffer.byteLength(body) <= DEFAULT_HEC_MAX_REQUEST_BYTES, `${Buffer.byteLength(body)} bytes`);
  const accepted = bodies.filter((_body, i) => i !== 2).join('');
  assert.equal(accepted, `${lines.join('\n')}\n`, 'every record exactly once, in order');
});

test('elasticsearch: bulk bodies stay within the bound and create every record once, in order, under its job-partition-offset id', async () => {
  const parsed = parseElasticsearchConf('elasticsearch://es.example.com:9200/logs-edge?header_Authorization=ApiKey%20c2VjcmV0OmtleQ==');
  assert.ok(parsed.ok);
  const client = recordingClient((request) => {
    const items = text(request).split('\n').length >> 1;
    return reply(200, JSON.stringify({ errors: false, items: Array.from({ length: items }, () => ({ create: { status: 201 } })) }));
  });
  const destination = createElasticsearchDestination(parsed.config, { transport: client });

  assert.deepEqual(await destination.deliver(batch, never), { status: 'delivered', location: 'elasticsearch://es.example.com:9200/logs-edge' });

  assert.ok(client.requests.length >= 2, `${client.requests.length} requests`);
  const sent = client.requests.map(text);
  for (const body of sent) assert.ok(Buffer.byteLength(body) <= DEFAULT_ES_MAX_REQUEST_BYTES, `${Buffer.byteLength(body)} bytes`);
  const expected = lines.map((line, i) => `{"create":{"_id":"5-3-${i}"}}\n${line}\n`).join('');
  assert.equal(sent.join(''), expected);
});

test('datadog: arrays stay within both the byte and the entry bound, and hold every record once, in order', async () => {
  const parsed = parseDatadogConf('datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=dd0123456789abcdef');
  assert.ok(parsed.ok);
  const client = recordingClient(() => reply(202, '{}'));
  const limits = { maxRequestBytes: 20_000, maxLogBytes: 1024 * 1024, maxEntries: 1_000 };
  const destination = createDatadogDestination(parsed.config, { transport: client, limits });

  assert.equal((await destination.deliver(batch, never)).status, 'delivered');

  const arrays = client.requests.map((request) => {
    const body = text(request);
    assert.ok(Buffer.byteLength(body) <= limits.maxRequestBytes, `${Buffer.byteLength(body)} bytes`);
    return JSON.parse(body) as Array<{ n: number }>;
  });
  assert.ok(arrays.every((array) => array.length <= limits.maxEntries));
  assert.ok(arrays.length > RECORDS / limits.maxEntries, 'the byte bound cut the arrays, not only the entry bound');
  const ns = arrays.flat().map((entry) => entry.n);
  assert.equal(ns.length, RECORDS);
  assert.ok(ns.every((n, i) => n === i), 'every record exactly once, in order');
});
