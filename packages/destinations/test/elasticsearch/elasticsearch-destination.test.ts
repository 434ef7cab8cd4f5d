// Tests for the Elasticsearch destination against a local bulk receiver: the exact body, ids, replays, refusals, statuses, secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { ndjsonBatch } from '../support/ndjson-batch.js';
import { API_KEY, AUTHORIZATION, destinationFor, never, originBatch, receiverFor, records } from './es-fixture.js';

test('the bulk body is gzip NDJSON: a create action with the record id before each record line, in batch order', async (t) => {
  const receiver = await receiverFor(t);
  const lines = records(3);
  const batch = originBatch(lines);

  const result = await destinationFor(t, receiver).deliver(batch, never);

  assert.deepEqual(result, { status: 'delivered', location: `elasticsearch://${receiver.address}/logs-edge` });
  assert.equal(receiver.requests.length, 1);
  const [request] = receiver.requests;
  assert.ok(request);
  assert.equal(
    gunzipSync(request.raw).toString('utf8'),
    `{"create":{"_id":"7-2-1000"}}\n${lines[0]}\n{"create":{"_id":"7-2-1001"}}\n${lines[1]}\n{"create":{"_id":"7-2-1003"}}\n${lines[2]}\n`,
  );
  assert.equal(request.target, '/logs-edge/_bulk?filter_path=errors,items.*.status,items.*.error');
  assert.equal(request.headers['content-type'], 'application/x-ndjson');
  assert.equal(request.headers['content-encoding'], 'gzip');
  assert.equal(request.headers['authorization'], AUTHORIZATION);
  assert.deepEqual([...receiver.stored.keys()], ['7-2-1000', '7-2-1001', '7-2-1003']);
});

test('a batch without origin (a validation payload) gets ids from its suffix and each record position', async (t) => {
  const receiver = await receiverFor(t);
  const result = await destinationFor(t, receiver).deliver(ndjsonBatch(records(2), 'test'), never);
  assert.equal(result.status, 'delivered');
  assert.deepEqual([...receiver.stored.keys()], ['test-0', 'test-1']);
});

test('delivering the same batch again stores nothing twice: the 409s of the replay count as delivered', async (t) => {
  const receiver = await receiverFor(t);
  const destination = destinationFor(t, receiver);
  const batch = originBatch(records(5));

  assert.equal((await destination.deliver(batch, never)).status, 'delivered');
  const replay = await destination.deliver(batch, never);

  assert.deepEqual(replay, { status: 'delivered', location: `elasticsearch://${receiver.address}/logs-edge` });
  assert.equal(receiver.stored.size, 5);
  assert.equal(receiver.requests.length, 2, 'the replay is one request, with no resends of the 409s');
});

test('documents the index refuses are reported with offset, type, reason and line; the rest are stored and nothing is resent', async (t) => {
  const receiver = await receiverFor(t);
  receiver.refuse((action) =>
    action.document.includes('"bad"')
      ? { status: 400, type: 'mapper_parsing_exception', reason: "failed to parse field [EdgeResponseStatus] of type [integer] in document with id 'x'", caused_by: { type: 'number_format_exception', reason: 'For input string: "bad"' } }
      : undefined,
  );
  const lines = records(4);
  lines[1] = '{"RayID":"r1","EdgeResponseStatus":"bad"}';
  lines[3] = '{"RayID":"r3","EdgeResponseStatus":"bad"}';

  const result = await destinationFor(t, receiver).deliver(originBatch(lines), never);

  assert.ok(result.status === 'delivered', JSON.stringify(result));
  assert.deepEqual(result.refused, [
    { offset: 1001, code: 'mapper_parsing_exception', reason: "failed to parse field [EdgeResponseStatus] of type [integer] in document with id 'x'; caused by number_format_exception: For input string: \"bad\"", document: lines[1] },
    { offset: 1004, code: 'mapper_parsing_exception', reason: "failed to parse field [EdgeResponseStatus] of type [integer] in document with id 'x'; caused by number_format_exception: For input string: \"bad\"", document: lines[3] },
  ]);
  assert.deepEqual([...receiver.stored.keys()], ['7-2-1000', '7-2-1003']);
  assert.equal(receiver.requests.length, 1, 'refused documents are never resent');
});

test('a long refusal reason is cut to one short line', async (t) => {
  const receiver = await receiverFor(t);
  receiver.refuse(() => ({ status: 400, type: 'illegal_argument_exception', reason: `Document contains at least one immense term:\n${'x'.repeat(5000)}` }));
  const result = await destinationFor(t, receiver).deliver(originBatch(records(1)), never);
  assert.ok(result.status === 'delivered' && result.refused?.[0] !== undefined, JSON.stringify(result));
  assert.ok(result.refused[0].reason.length <= 301 && !result.refused[0].reason.includes('\n'), `${result.refused[0].reason.length} characters`);
});

test('HTTP 429 with Retry-After and 503 are retryable with the delay, and nothing is stored', async (t) => {
  const receiver = await receiverFor(t);
  const destination = destinationFor(t, receiver);
  receiver.failNext(1, 429, { 'retry-after': '7' }, '{"error":{"type":"es_rejected_execution_exception"},"status":429}');
  receiver.failNext(1, 503, {}, '{"error":{"type":"cluster_block_exception","reason":"blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]"},"status":503}');

  const throttled = await destination.deliver(originBatch(records(2)), never);
  const unavailable = await destination.deliver(originBatch(records(2)), never);

  assert.deepEqual(throttled, { status: 'retryable', code: 'HTTP_429', message: 'HTTP 429 Too Many Requests: {"error":{"type":"es_rejected_execution_exception"},"status":429}', retryAfterMs: 7000 });
  assert.ok(unavailable.status === 'retryable' && unavailable.code === 'HTTP_503' && unavailable.retryAfterMs === undefined, JSON.stringify(unavailable));
  assert.match(unavailable.message, /state not recovered/);
  assert.equal(receiver.stored.size, 0);
});

test('401 and 403 are rejected, and no message quotes the API key even when the server echoes it', async (t) => {
  const receiver = await receiverFor(t, { authorization: 'ApiKey somebody-else' });
  const destination = destinationFor(t, receiver);

  const unauthorised = await destination.deliver(originBatch(records(1)), never);
  receiver.failNext(1, 403, {}, JSON.stringify({ error: { type: 'security_exception', reason: `action [indices:data/write/bulk] is unauthorized for API key [${API_KEY}] of user [edge]` }, status: 403 }));
  const forbidden = await destination.deliver(originBatch(records(1)), never);

  assert.ok(unauthorised.status === 'rejected' && unauthorised.code === 'HTTP_401', JSON.stringify(unauthorised));
  assert.match(unauthorised.message, /unable to authenticate with REDACTED/);
  assert.ok(forbidden.status === 'rejected' && forbidden.code === 'HTTP_403', JSON.stringify(forbidden));
  for (const text of [JSON.stringify(unauthorised), JSON.stringify(forbidden)]) assert.ok(!text.includes(API_KEY.slice(0, 12)), text);
});

test('an item error about the index itself rejects the batch instead of dead-lettering every record', async (t) => {
  const receiver = await receiverFor(t);
  receiver.refuse(() => ({ status: 403, type: 'cluster_block_exception', reason: 'index [logs-edge] blocked by: [FORBIDDEN/8/index write (api)];' }));
  const result = await destinationFor(t, receiver).deliver(originBatch(records(3)), never);
  assert.deepEqual(result, { status: 'rejected', code: 'ES_ITEM_403', message: 'the index refused the documents: 403 cluster_block_exception: index [logs-edge] blocked by: [FORBIDDEN/8/index write (api)];' });
});

test('a batch whose lines are not its records is rejected before any request, naming the job settings to change', async (t) => {
  const receiver = await receiverFor(t);
  const framed = { ...ndjsonBatch(['[{"a":1}', '{"a":2}]']), records: 3 };
  const result = await destinationFor(t, receiver).deliver(framed, never);
  assert.ok(result.status === 'rejected' && result.code === 'ES_BATCH_NOT_NDJSON', JSON.stringify(result));
  assert.match(result.message, /2 line\(s\) for 3 record\(s\).*output_type to "ndjson" without batch_prefix, batch_suffix or record_delimiter/);
  assert.equal(receiver.requests.length, 0);
});

test('a CSV batch is rejected before any request rather than every record being refused', async (t) => {
  const receiver = await receiverFor(t);
  const result = await destinationFor(t, receiver).deliver(ndjsonBatch(['198.51.100.7,GET,200', '203.0.113.9,POST,404']), never);
  assert.ok(result.status === 'rejected' && result.code === 'ES_BATCH_NOT_NDJSON', JSON.stringify(result));
  assert.match(result.message, /line 1 of the batch is not a JSON object/);
  assert.equal(receiver.requests.length, 0);
});

test('a 2xx answer that is not a bulk reply is rejected as a misconfiguration', async (t) => {
  const receiver = await receiverFor(t);
  receiver.replyNext('<html>Welcome to nginx!</html>');
  const result = await destinationFor(t, receiver).deliver(originBatch(records(2)), never);
  assert.ok(result.status === 'rejected' && result.code === 'ES_NOT_A_BULK_REPLY', JSON.stringify(result));
  assert.match(result.message, /Welcome to nginx/);
});

test('an empty batch is delivered without a request', async (t) => {
  const receiver = await receiverFor(t);
  const result = await destinationFor(t, receiver).deliver(ndjsonBatch([]), never);
  assert.equal(result.status, 'delivered');
  assert.equal(receiver.requests.length, 0);
});

test('user:password in the URI becomes Basic auth, and neither the password nor the token reaches the description or a result', async (t) => {
  const receiver = await receiverFor(t, { authorization: 'Basic ZWRnZTpzM2NyM3QtcGFzc3dvcmQ=' });
  const { parseElasticsearchConf } = await import('../../src/elasticsearch/elasticsearch-config.js');
  const { createElasticsearchDestination } = await import('../../src/elasticsearch/elasticsearch-destination.js');
  const parsed = parseElasticsearchConf(`opensearch://edge:s3cr3t-password@${receiver.address}/logs-edge?tls=false`);
  assert.ok(parsed.ok);
  const destination = createElasticsearchDestination(parsed.config);
  t.after(() => destination.close());

  const delivered = await destination.deliver(originBatch(records(1)), never);
  receiver.failNext(1, 500, {}, 'proxy error for edge:s3cr3t-password, Authorization: Basic ZWRnZTpzM2NyM3QtcGFzc3dvcmQ=');
  const failed = await destination.deliver(originBatch(records(1), 5), never);

  assert.equal(delivered.status, 'delivered');
  assert.equal(destination.description, `opensearch://${receiver.address}/logs-edge?tls=false (headers: Authorization)`);
  assert.ok(failed.status === 'retryable', JSON.stringify(failed));
  for (const text of [destination.description, JSON.stringify(delivered), JSON.stringify(failed)]) {
    assert.ok(!text.includes('s3cr3t') && !text.includes('ZWRnZTpzM2NyM3QtcGFzc3dvcmQ'), text);
  }
});
