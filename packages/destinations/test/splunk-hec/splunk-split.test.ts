import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { HttpClient } from '../../src/http-client/http-client.js';
import { createHttpsTransport } from '../../src/splunk-hec/hec-client.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';
import { destinationFor, httpRequestRecords, never, receiverFor } from './hec-fixture.js';

/** The gzip size of the largest request of `size` consecutive records: a limit that lets such requests through. */
function limitFitting(records: readonly string[], size: number): number {
  let largest = 0;
  for (let i = 0; i + size <= records.length; i++) largest = Math.max(largest, gzipSync(records.slice(i, i + size).map((r) => `${r}\n`).join('')).length);
  return largest;
}

test('413: the batch is split at record boundaries until the pieces fit, and every record arrives once, in order', async (t) => {
  const records = httpRequestRecords(8, 300);
  const maxContentLength = limitFitting(records, 2);
  const batch = ndjsonBatch(records);
  assert.ok(batch.body.length > maxContentLength, 'the whole batch must exceed the limit for this test to mean anything');
  const receiver = await receiverFor(t, { maxContentLength });
  const destination = destinationFor(t, receiver, '&sourcetype=cloudflare:json');

  const result = await destination.deliver(batch, never);

  assert.equal(result.status, 'delivered');
  assert.deepEqual(
    receiver.events.map((e) => e.event),
    records,
  );
  assert.ok(receiver.events.every((e) => e.sourcetype === 'cloudflare:json'));
  const statuses = receiver.requests.map((r) => r.statusCode);
  assert.ok(statuses.includes(413), `expected at least one 413, got ${statuses.join(',')}`);
  assert.ok(receiver.requests.filter((r) => r.statusCode === 200).every((r) => r.bytes <= maxContentLength));
});

test('a single record larger than the limit is rejected; the records before it are delivered once, even when redelivered', async (t) => {
  const records = httpRequestRecords(6);
  records.splice(3, 1, ...httpRequestRecords(1, 4000));
  const maxContentLength = limitFitting(records.slice(0, 3), 1) * 2;
  const receiver = await receiverFor(t, { maxContentLength });
  const destination = destinationFor(t, receiver);
  const batch = ndjsonBatch(records);

  const first = await destination.deliver(batch, never);
  assert.ok(first.status === 'rejected', JSON.stringify(first));
  assert.equal(first.code, 'HEC_RECORD_TOO_LARGE');
  assert.match(first.message, /^record 4 of 6 is larger on its own than Splunk HEC accepts \(HTTP 413\)/);
  assert.deepEqual(
    receiver.events.map((e) => e.event),
    records.slice(0, 3),
  );

  // The pusher sends a rejected batch again later: what HEC already took is not sent twice.
  const again = await destination.deliver(batch, never);
  assert.equal(again.status === 'rejected' && again.code, 'HEC_RECORD_TOO_LARGE');
  assert.deepEqual(
    receiver.events.map((e) => e.event),
    records.slice(0, 3),
  );
});

test('a split batch that fails halfway is resumed on redelivery: no record is indexed twice', async (t) => {
  const records = httpRequestRecords(4, 300);
  const receiver = await receiverFor(t, { maxContentLength: limitFitting(records, 2) });
  // The real transport, with HEC made busy just before the third request (the second half).
  const real = createHttpsTransport({ rejectUnauthorized: false });
  let posts = 0;
  const transport: HttpClient = {
    send(request, signal) {
      if (++posts === 3) receiver.answerBusy(1, 1);
      return real.send(request, signal);
    },
    close: () => real.close(),
  };
  const destination = destinationFor(t, receiver, '', { transport });
  const batch = ndjsonBatch(records);

  const first = await destination.deliver(batch, never);
  assert.deepEqual(first.status === 'retryable' && [first.code, first.retryAfterMs], ['HEC_SERVER_BUSY', 1000]);
  assert.deepEqual(
    receiver.events.map((e) => e.event),
    records.slice(0, 2),
  );

  const second = await destination.deliver(batch, never);
  assert.equal(second.status, 'delivered');
  assert.deepEqual(
    receiver.events.map((e) => e.event),
    records,
  );
  assert.deepEqual(
    receiver.requests.map((r) => r.statusCode),
    [413, 200, 503, 200],
  );
});
