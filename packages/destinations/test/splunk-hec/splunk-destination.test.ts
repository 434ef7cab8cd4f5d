import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRetry } from '../../src/retry/with-retry.js';
import { createSplunkDestination } from '../../src/splunk-hec/splunk-destination.js';
import { parseSplunkConf } from '../../src/splunk-hec/splunk-config.js';
import { defaultDestinations } from '../../src/registry.js';
import { validateDestination, VALIDATION_PAYLOAD } from '../../src/validate-destination.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';
import { recordingClient, reply } from '../support/fake-http-client.js';
import { CHANNEL, TOKEN, destinationFor, httpRequestRecords, never, receiverFor } from './hec-fixture.js';

test('raw endpoint: HEC receives exactly the batch lines, in order, with the sourcetype, metadata and channel', async (t) => {
  const receiver = await receiverFor(t);
  const destination = destinationFor(t, receiver, `&channel=${CHANNEL}&sourcetype=cloudflare:json&source=logpush&host=edge-1&index=edge`);
  const records = httpRequestRecords(25);
  const batch = ndjsonBatch(records);

  const result = await destination.deliver(batch, never);

  assert.deepEqual(result, { status: 'delivered', location: `splunk://${receiver.address}/services/collector/raw` });
  assert.deepEqual(
    receiver.events.map((e) => e.event),
    records,
  );
  for (const event of receiver.events) {
    assert.deepEqual([event.endpoint, event.sourcetype, event.source, event.host, event.index, event.channel], ['raw', 'cloudflare:json', 'logpush', 'edge-1', 'edge', CHANNEL]);
  }
  const [request] = receiver.requests;
  assert.equal(receiver.requests.length, 1);
  assert.equal(request?.headers['content-encoding'], 'gzip');
  assert.equal(request?.headers['x-splunk-request-channel'], CHANNEL);
  assert.equal(request?.query['channel'], CHANNEL);
  // The batch's own gzip body went out as it was: no re-encoding on the raw endpoint.
  assert.equal(request?.bytes, batch.body.length);
});

test('event endpoint: each record arrives as the event of its own envelope, with the metadata in the envelope', async (t) => {
  const receiver = await receiverFor(t);
  const destination = destinationFor(t, receiver, '&sourcetype=cloudflare:json&index=edge', {}, '/services/collector/event');
  const records = [...httpRequestRecords(3), '198.51.100.7,GET,/index.html'];

  const result = await destination.deliver(ndjsonBatch(records), never);

  assert.equal(result.status, 'delivered');
  assert.deepEqual(
    receiver.events.map((e) => e.event),
    [...records.slice(0, 3).map((r) => JSON.parse(r) as unknown), '198.51.100.7,GET,/index.html'],
  );
  assert.ok(receiver.events.every((e) => e.endpoint === 'event' && e.sourcetype === 'cloudflare:json' && e.index === 'edge' && e.channel === undefined));
  // On the event endpoint the metadata travels in the envelope, not the query string.
  assert.deepEqual(receiver.requests[0]?.query, {});
  assert.equal(receiver.requests[0]?.headers['content-type'], 'application/json');
});

test('server busy (503 code 9) is retryable with the Retry-After delay, and the retry delivers each record once', async (t) => {
  const receiver = await receiverFor(t);
  const destination = destinationFor(t, receiver, '&sourcetype=cloudflare:json');
  const records = httpRequestRecords(5);
  receiver.answerBusy(1, 2);

  const first = await destination.deliver(ndjsonBatch(records), never);
  assert.deepEqual(first, { status: 'retryable', code: 'HEC_SERVER_BUSY', message: 'Splunk HEC answered HTTP 503, code 9: Server is busy', retryAfterMs: 2000 });
  assert.equal(receiver.events.length, 0);

  receiver.answerBusy(2, 3);
  const waits: number[] = [];
  const retried = withRetry(destination, { sleep: (ms) => (waits.push(ms), Promise.resolve()) });
  assert.equal((await retried.deliver(ndjsonBatch(records), never)).status, 'delivered');
  assert.deepEqual(waits, [3000, 3000]);
  assert.deepEqual(
    receiver.events.map((e) => e.event),
    records,
  );
});

test('a wrong token is rejected (403 code 4) and the message never quotes a token', async (t) => {
  const receiver = await receiverFor(t, { token: 'b1e55ed0-0000-4000-8000-000000000001' });
  const destination = destinationFor(t, receiver);

  const result = await destination.deliver(ndjsonBatch(httpRequestRecords(2)), never);

  assert.deepEqual(result, { status: 'rejected', code: 'HEC_INVALID_TOKEN', message: 'Splunk HEC answered HTTP 403, code 4: Invalid token' });
  assert.ok(!JSON.stringify(result).includes(TOKEN));
  assert.equal(receiver.events.length, 0);
});

test('a request without a token is rejected (401 code 2)', async (t) => {
  const receiver = await receiverFor(t);
  const parsed = parseSplunkConf(`splunk://${receiver.address}/services/collector/raw?insecure-skip-verify=true&header_Authorization=Splunk%20${TOKEN}`);
  assert.ok(parsed.ok);
  // parse refuses a missing token, so the config is edited by hand to see what HEC itself answers.
  const destination = createSplunkDestination({ ...parsed.config, headers: {} });
  t.after(() => destination.close());

  const result = await destination.deliver(ndjsonBatch(httpRequestRecords(2)), never);

  assert.deepEqual(result, { status: 'rejected', code: 'HEC_TOKEN_REQUIRED', message: 'Splunk HEC answered HTTP 401, code 2: Token is required' });
});

test('a token with acknowledgement on: no channel is rejected (400 code 10), a channel is delivered', async (t) => {
  const receiver = await receiverFor(t, { requireChannel: true });

  const without = await destinationFor(t, receiver).deliver(ndjsonBatch(httpRequestRecords(2)), never);
  assert.deepEqual(without, { status: 'rejected', code: 'HEC_DATA_CHANNEL_MISSING', message: 'Splunk HEC answered HTTP 400, code 10: Data channel is missing' });

  const withChannel = await destinationFor(t, receiver, `&channel=${CHANNEL}`).deliver(ndjsonBatch(httpRequestRecords(2)), never);
  assert.equal(withChannel.status, 'delivered');
  assert.deepEqual(
    receiver.events.map((e) => e.channel),
    [CHANNEL, CHANNEL],
  );
});

test('an empty batch is delivered without a request (HEC would refuse it as "No data")', async (t) => {
  const receiver = await receiverFor(t);
  const result = await destinationFor(t, receiver).deliver(ndjsonBatch([]), never);
  assert.equal(result.status, 'delivered');
  assert.equal(receiver.requests.length, 0);
});

test('a reply or error that echoes the token reaches no result message', async () => {
  const parsed = parseSplunkConf(`splunk://hec.example.com:8088/services/collector/raw?header_Authorization=Splunk%20${TOKEN}&header_X-Tenant=tenant-credential`);
  assert.ok(parsed.ok);
  const echoes = [
    { statusCode: 400, retryAfter: undefined, body: JSON.stringify({ text: `Unknown token ${TOKEN} for tenant-credential`, code: 99 }) },
    { statusCode: 502, retryAfter: undefined, body: `<pre>Authorization: Splunk ${TOKEN}</pre>` },
  ];
  const transport = recordingClient(() => {
    const echo = echoes.shift();
    return echo ? reply(echo.statusCode, echo.body) : { ok: false, failure: { reason: 'network', code: 'ECONNRESET', message: `socket hang up while sending Splunk ${TOKEN}` } };
  });
  const destination = createSplunkDestination(parsed.config, { transport });
  const messages: string[] = [];
  for (let i = 0; i < 3; i++) {
    const result = await destination.deliver(ndjsonBatch(httpRequestRecords(1)), never);
    assert.notEqual(result.status, 'delivered');
    if (result.status !== 'delivered') messages.push(result.message);
  }
  assert.equal(messages.length, 3);
  for (const message of messages) {
    assert.ok(!message.includes(TOKEN) && !message.includes('tenant-credential'), message);
    assert.match(message, /REDACTED/);
  }
});

test("Logpush's destination validation reaches HEC as one test event", async (t) => {
  const receiver = await receiverFor(t);
  const conf = `splunk://${receiver.address}/services/collector/raw?insecure-skip-verify=true&sourcetype=cloudflare:json&header_Authorization=Splunk%20${TOKEN}`;

  const result = await validateDestination(defaultDestinations, conf, never);

  assert.equal(result.status, 'delivered');
  assert.deepEqual(
    receiver.events.map((e) => [e.event, e.sourcetype]),
    [[VALIDATION_PAYLOAD, 'cloudflare:json']],
  );
});
