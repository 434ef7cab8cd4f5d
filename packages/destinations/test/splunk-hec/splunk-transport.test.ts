import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpsTransport } from '../../src/splunk-hec/hec-client.js';
import { parseSplunkConf } from '../../src/splunk-hec/splunk-config.js';
import { createSplunkDestination } from '../../src/splunk-hec/splunk-destination.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';
import { TOKEN, destinationFor, httpRequestRecords, never, receiverFor, testCertificate } from './hec-fixture.js';

function verifyingConf(address: string): string {
  return `splunk://${address}/services/collector/raw?insecure-skip-verify=false&header_Authorization=Splunk%20${TOKEN}`;
}

test('with verification on, a self-signed certificate fails the delivery as a rejected TLS problem, and nothing is sent', async (t) => {
  const receiver = await receiverFor(t);
  const parsed = parseSplunkConf(verifyingConf(receiver.address));
  assert.ok(parsed.ok);
  const destination = createSplunkDestination(parsed.config);
  t.after(() => destination.close());

  const result = await destination.deliver(ndjsonBatch(httpRequestRecords(2)), never);

  assert.ok(result.status === 'rejected', JSON.stringify(result));
  assert.equal(result.code, 'HEC_TLS_DEPTH_ZERO_SELF_SIGNED_CERT');
  assert.equal(receiver.requests.length, 0);
});

test('with verification on and the certificate trusted, the same receiver takes the batch (the failure above is about trust)', async (t) => {
  const receiver = await receiverFor(t);
  const parsed = parseSplunkConf(verifyingConf(receiver.address));
  assert.ok(parsed.ok && parsed.config.rejectUnauthorized);
  const transport = createHttpsTransport({ rejectUnauthorized: true, ca: (await testCertificate()).cert });
  const destination = createSplunkDestination(parsed.config, { transport });
  t.after(() => destination.close());

  assert.equal((await destination.deliver(ndjsonBatch(httpRequestRecords(2)), never)).status, 'delivered');
  assert.equal(receiver.events.length, 2);
});

test('an already aborted signal sends nothing', async (t) => {
  const receiver = await receiverFor(t);
  const result = await destinationFor(t, receiver).deliver(ndjsonBatch(httpRequestRecords(2)), AbortSignal.abort());
  assert.deepEqual(result.status !== 'delivered' && [result.status, result.code], ['retryable', 'HEC_ABORTED']);
  assert.equal(receiver.requests.length, 0);
});

test('aborting while HEC has not answered ends the request at once', async (t) => {
  const receiver = await receiverFor(t);
  receiver.delayReplies(10_000);
  const controller = new AbortController();
  const delivery = destinationFor(t, receiver).deliver(ndjsonBatch(httpRequestRecords(2)), controller.signal);
  while (receiver.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const abortedAt = Date.now();
  controller.abort();

  const result = await delivery;

  assert.deepEqual(result.status !== 'delivered' && [result.status, result.code], ['retryable', 'HEC_ABORTED']);
  assert.ok(Date.now() - abortedAt < 1000, 'the delivery should end promptly after the abort');
});

test('no reply within the per-request timeout is retryable', async (t) => {
  const receiver = await receiverFor(t);
  receiver.delayReplies(10_000);
  const started = Date.now();

  const result = await destinationFor(t, receiver, '', { timeoutMs: 200 }).deliver(ndjsonBatch(httpRequestRecords(2)), never);

  assert.deepEqual(result, { status: 'retryable', code: 'HEC_TIMEOUT', message: 'Splunk HEC request failed: no reply within 200 ms' });
  assert.ok(Date.now() - started < 2000);
});

test('a refused connection is retryable', async (t) => {
  const receiver = await receiverFor(t);
  await receiver.close(); // the port is now free and closed
  const result = await destinationFor(t, receiver).deliver(ndjsonBatch(httpRequestRecords(2)), never);
  assert.deepEqual(result.status !== 'delivered' && [result.status, result.code], ['retryable', 'HEC_NETWORK_ECONNREFUSED']);
});
