import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createDatadogDestination } from '../../src/datadog/datadog-destination.js';
import { parseDatadogConf } from '../../src/datadog/datadog-config.js';
import type { Destination } from '../../src/destination.js';
import { startReceiver } from '../http/local-receiver.js';
import type { LocalReceiver } from '../http/local-receiver.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';
import { redirectingClient } from '../support/fake-http-client.js';
import { createHttpClient } from '../../src/http-client/http-client.js';

const KEY = 'dd0123456789abcdef0123456789abcd';
const CONF = `datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=${KEY}&ddsource=cloudflare&service=gateway&ddtags=env:test`;
const receivers: LocalReceiver[] = [];
const destinations: Destination[] = [];
after(() => Promise.all([...receivers.map((r) => r.close()), ...destinations.map((d) => d.close())]));

/** A Datadog destination whose HTTPS requests land on a local plain-HTTP receiver (no real Datadog here). */
async function setup(limits?: { maxRequestBytes: number; maxLogBytes: number; maxEntries: number }): Promise<{ destination: Destination; receiver: LocalReceiver }> {
  const receiver = await startReceiver();
  receivers.push(receiver);
  receiver.respond((_request, res) => res.writeHead(202, { 'content-type': 'application/json' }).end('{}'));
  const parsed = parseDatadogConf(CONF);
  assert.ok(parsed.ok);
  const transport = redirectingClient(createHttpClient({ timeoutMs: 5_000 }), 'https://http-intake.logs.datadoghq.com', receiver.origin);
  const destination = createDatadogDestination(parsed.config, { transport, ...(limits ? { limits } : {}) });
  destinations.push(destination);
  return { destination, receiver };
}

const arrays = (receiver: LocalReceiver): unknown[][] => receiver.requests.map((request) => JSON.parse(gunzipSync(request.body).toString('utf8')) as unknown[]);

test('a batch becomes one gzip JSON array POSTed with the API key header and the query kept', async () => {
  const { destination, receiver } = await setup();
  const result = await destination.deliver(ndjsonBatch(['{"RayID":"a"}', '{"RayID":"b"}']), AbortSignal.timeout(5_000));
  assert.equal(result.status, 'delivered', JSON.stringify(result));
  const [request] = receiver.requests;
  assert.equal(request?.target, '/api/v2/logs?ddsource=cloudflare&service=gateway&ddtags=env:test');
  assert.equal(request?.headers['dd-api-key'], KEY);
  assert.equal(request?.headers['content-type'], 'application/json');
  assert.equal(request?.headers['content-encoding'], 'gzip');
  assert.deepEqual(arrays(receiver), [[{ RayID: 'a' }, { RayID: 'b' }]]);
});

test('batches are cut into arrays of at most 1,000 entries, in order', async () => {
  const { destination, receiver } = await setup();
  const lines = Array.from({ length: 2_345 }, (_, i) => `{"n":${i}}`);
  assert.equal((await destination.deliver(ndjsonBatch(lines), AbortSignal.timeout(5_000))).status, 'delivered');
  const sent = arrays(receiver);
  assert.deepEqual(sent.map((array) => array.length), [1_000, 1_000, 345]);
  assert.deepEqual(sent.flat(), lines.map((line) => JSON.parse(line) as unknown));
});

test('arrays stay under the request byte limit, and an entry over the per-log limit is refused with its offset, not sent', async () => {
  const { destination, receiver } = await setup({ maxRequestBytes: 100, maxLogBytes: 40, maxEntries: 1_000 });
  const big = `{"x":"${'y'.repeat(60)}"}`;
  const lines = ['{"n":0,"pad":"aaaaaaaaaa"}', '{"n":1,"pad":"aaaaaaaaaa"}', big, '{"n":3,"pad":"aaaaaaaaaa"}', '{"n":4,"pad":"aaaaaaaaaa"}'];
  const batch = { ...ndjsonBatch(lines), origin: { jobId: 1, partition: 0, offsets: [10, 11, 12, 13, 14] } };
  const result = await destination.deliver(batch, AbortSignal.timeout(5_000));
  assert.ok(result.status === 'delivered', JSON.stringify(result));
  assert.deepEqual(result.refused?.map((r) => [r.offset, r.code, r.document]), [[12, 'DATADOG_LOG_TOO_LARGE', big]]);
  for (const request of receiver.requests) assert.ok(gunzipSync(request.body).length <= 100);
  assert.deepEqual(arrays(receiver).flat().map((entry) => (entry as { n: number }).n), [0, 1, 3, 4]);
});

test('lines that are not JSON objects (CSV jobs) are sent as {"message": line}', async () => {
  const { destination, receiver } = await setup();
  await destination.deliver(ndjsonBatch(['1.2.3.4,GET,/x', '5.6.7.8,"POST",/y']), AbortSignal.timeout(5_000));
  assert.deepEqual(arrays(receiver), [[{ message: '1.2.3.4,GET,/x' }, { message: '5.6.7.8,"POST",/y' }]]);
});

test('after a failure part-way, the redelivery sends only the arrays Datadog did not take', async () => {
  const { destination, receiver } = await setup();
  let calls = 0;
  receiver.respond((_request, res) => {
    calls++;
    if (calls === 2) res.writeHead(503, { 'retry-after': '1' }).end('busy');
    else res.writeHead(202).end('{}');
  });
  const lines = Array.from({ length: 2_500 }, (_, i) => `{"n":${i}}`);
  const first = await destination.deliver(ndjsonBatch(lines), AbortSignal.timeout(5_000));
  assert.ok(first.status === 'retryable', JSON.stringify(first));
  assert.equal(first.retryAfterMs, 1_000);
  const second = await destination.deliver(ndjsonBatch(lines), AbortSignal.timeout(5_000));
  assert.equal(second.status, 'delivered');
  const taken = receiver.requests.filter((_request, i) => i !== 1).map((request) => JSON.parse(gunzipSync(request.body).toString('utf8')) as { n: number }[]);
  assert.deepEqual(taken.flat().map((entry) => entry.n), lines.map((_line, i) => i), 'each entry taken exactly once, in order');
});

test('a wrong API key is rejected, and the key is in no description or message', async () => {
  const { destination, receiver } = await setup();
  receiver.respond((request, res) => res.writeHead(403, { 'content-type': 'application/json' }).end(`{"errors":["Forbidden: key ${String(request.headers['dd-api-key'])}"]}`));
  const result = await destination.deliver(ndjsonBatch(['{"a":1}']), AbortSignal.timeout(5_000));
  assert.equal(result.status, 'rejected');
  assert.ok(!JSON.stringify(result).includes(KEY), JSON.stringify(result));
  assert.ok(!destination.description.includes(KEY), destination.description);
});
