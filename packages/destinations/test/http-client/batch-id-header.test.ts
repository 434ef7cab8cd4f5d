// Tests that every HTTP-based kind names each request of a batch in X-Sluice-Batch-Id: one id per part, the same on every attempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { parseDatadogConf } from '../../src/datadog/datadog-config.js';
import { createDatadogDestination } from '../../src/datadog/datadog-destination.js';
import { BATCH_ID_HEADER } from '../../src/http-client/batch-id-header.js';
import { parseHttpConf } from '../../src/http/http-config.js';
import { createHttpDestination } from '../../src/http/http-destination.js';
import { withRetry } from '../../src/retry/with-retry.js';
import { destinationFor as esDestinationFor, never, originBatch, receiverFor as esReceiverFor, records } from '../elasticsearch/es-fixture.js';
import { startReceiver } from '../http/local-receiver.js';
import { destinationFor as hecDestinationFor, httpRequestRecords, receiverFor as hecReceiverFor } from '../splunk-hec/hec-fixture.js';
import { headerOf, recordingClient, reply } from '../support/fake-http-client.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';

const noWait = { sleep: () => Promise.resolve() };

test('http: the batch suffix is sent as X-Sluice-Batch-Id, identical on the retry', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  let calls = 0;
  receiver.respond((_request, res) => res.writeHead(++calls === 1 ? 503 : 204).end());
  const parsed = parseHttpConf(`${receiver.origin}/ingest`);
  assert.ok(parsed.ok);
  const destination = withRetry(createHttpDestination(parsed.config), noWait);
  t.after(() => destination.close());

  assert.equal((await destination.deliver(ndjsonBatch(['{"a":1}'], 'job4-p1-o1200'), never)).status, 'delivered');

  assert.deepEqual(
    receiver.requests.map((request) => request.headers[BATCH_ID_HEADER]),
    ['job4-p1-o1200', 'job4-p1-o1200'],
  );
});

test('a header_X-Sluice-Batch-Id parameter is refused: only Sluice sets the batch id', () => {
  const parsed = parseHttpConf('https://logs.example.com/ingest?header_X-Sluice-Batch-Id=forged');
  assert.ok(!parsed.ok && /set by Sluice itself/.test(parsed.message), JSON.stringify(parsed));
});

test('splunk: every request of a batch carries its id, on the first attempt and on the retry', async (t) => {
  const receiver = await hecReceiverFor(t);
  receiver.answerBusy(1, 1);
  const destination = withRetry(hecDestinationFor(t, receiver), noWait);

  assert.equal((await destination.deliver(ndjsonBatch(httpRequestRecords(3), 'job9-p2-o77'), never)).status, 'delivered');

  assert.deepEqual(
    receiver.requests.map((request) => [request.statusCode, request.headers[BATCH_ID_HEADER]]),
    [
      [503, 'job9-p2-o77'],
      [200, 'job9-p2-o77'],
    ],
  );
});

test('elasticsearch: the bulk request carries the batch id on each attempt, and the _ids stay job-partition-offset', async (t) => {
  const receiver = await esReceiverFor(t);
  receiver.failNext(1, 503);
  const destination = withRetry(esDestinationFor(t, receiver), noWait);
  const batch = originBatch(records(3));

  assert.equal((await destination.deliver(batch, never)).status, 'delivered');

  assert.deepEqual(
    receiver.requests.map((request) => request.headers[BATCH_ID_HEADER]),
    [batch.suffix, batch.suffix],
  );
  assert.deepEqual(
    receiver.requests.map((request) => request.actions.map((action) => action.id)),
    [
      ['7-2-1000', '7-2-1001', '7-2-1003'],
      ['7-2-1000', '7-2-1001', '7-2-1003'],
    ],
  );
});

test('datadog: each array of a batch carries its part’s id, and the retry of a part carries the same', async () => {
  const parsed = parseDatadogConf('datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=dd0123456789abcdef');
  assert.ok(parsed.ok);
  let calls = 0;
  const client = recordingClient(() => (++calls === 2 ? reply(503, 'busy') : reply(202, '{}')));
  const destination = withRetry(createDatadogDestination(parsed.config, { transport: client }), noWait);
  const lines = Array.from({ length: 2_500 }, (_, i) => `{"n":${i}}`);

  assert.equal((await destination.deliver(ndjsonBatch(lines, 'job3-p0-o10'), never)).status, 'delivered');

  assert.deepEqual(
    client.requests.map((request) => headerOf(request, BATCH_ID_HEADER)),
    ['job3-p0-o10', 'job3-p0-o10-part1', 'job3-p0-o10-part1', 'job3-p0-o10-part2'],
  );
  const sizes = client.requests.map((request) => (JSON.parse(gunzipSync(request.body).toString('utf8')) as unknown[]).length);
  assert.deepEqual(sizes, [1_000, 1_000, 1_000, 500], 'the retry resends only the array that failed, then the rest');
});
