// Tests for resending only the items a 2xx bulk reply turned away as busy, within one delivery, and for 413 splitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRetry } from '../../src/retry/with-retry.js';
import { destinationFor, never, originBatch, receiverFor, records } from './es-fixture.js';

test('items the cluster was too busy for are resent alone, after a backoff, and the delivery completes', async (t) => {
  const receiver = await receiverFor(t);
  const waits: number[] = [];
  const destination = destinationFor(t, receiver, '&tls=false', { sleep: (ms) => (waits.push(ms), Promise.resolve()), random: () => 0.5 });
  receiver.busy(['7-2-1001', '7-2-1004'], 1);
  // Offsets 1000, 1001, 1003, 1004, 1005: the batch skips 1002.

  const result = await destination.deliver(originBatch(records(5)), never);

  assert.deepEqual(result, { status: 'delivered', location: `elasticsearch://${receiver.address}/logs-edge` });
  assert.equal(receiver.requests.length, 2);
  assert.deepEqual(
    receiver.requests[1]?.actions.map((action) => action.id),
    ['7-2-1001', '7-2-1004'],
    'only the busy items went again',
  );
  assert.deepEqual(waits, [125], 'half (random 0.5) of the first backoff ceiling, 250 ms');
  assert.deepEqual([...receiver.stored.keys()].sort(), ['7-2-1000', '7-2-1001', '7-2-1003', '7-2-1004', '7-2-1005']);
});

test('a 503 item without es_rejected_execution_exception is resent too, and a refusal found in the first round is still reported', async (t) => {
  const receiver = await receiverFor(t);
  receiver.busy(['7-2-1000'], 1, { status: 503, type: 'unavailable_shards_exception', reason: 'primary shard is not active' });
  receiver.refuse((action) => (action.id === '7-2-1001' ? { status: 400, type: 'strict_dynamic_mapping_exception', reason: 'mapping set to strict, dynamic introduction of [Extra] within [_doc] is not allowed' } : undefined));

  const result = await destinationFor(t, receiver).deliver(originBatch(records(2)), never);

  assert.ok(result.status === 'delivered', JSON.stringify(result));
  assert.deepEqual(result.refused?.map((record) => [record.offset, record.code]), [[1001, 'strict_dynamic_mapping_exception']]);
  assert.deepEqual(receiver.requests[1]?.actions.map((action) => action.id), ['7-2-1000']);
  assert.deepEqual([...receiver.stored.keys()], ['7-2-1000']);
});

test('items still busy after the last in-call attempt make the batch retryable, and its redelivery completes with 409s for the rest', async (t) => {
  const receiver = await receiverFor(t);
  const destination = destinationFor(t, receiver);
  receiver.busy(['7-2-1003'], 3);
  const batch = originBatch(records(4));

  const first = await destination.deliver(batch, never);

  assert.ok(first.status === 'retryable' && first.code === 'ES_ITEMS_BUSY', JSON.stringify(first));
  assert.match(first.message, /^1 of 4 document\(s\) still turned away after 3 attempt\(s\) \(429 es_rejected_execution_exception: rejected execution/);
  assert.equal(receiver.requests.length, 3, 'three attempts in all (DEFAULT_ITEM_RETRY.maxAttempts)');

  const replay = await withRetry(destination, { sleep: () => Promise.resolve() }).deliver(batch, never);
  assert.equal(replay.status, 'delivered');
  assert.equal(receiver.stored.size, 4, 'each document once');
  assert.equal(receiver.requests.at(-1)?.actions.length, 4, 'the redelivery sends the whole batch; the stored ones answer 409');
});

test('an abort during the wait between item attempts ends the delivery as retryable without another request', async (t) => {
  const receiver = await receiverFor(t);
  const controller = new AbortController();
  const destination = destinationFor(t, receiver, '&tls=false', {
    sleep: (_ms, signal) => {
      controller.abort();
      assert.ok(signal.aborted, 'the sleep gets the delivery signal');
      return Promise.resolve();
    },
  });
  receiver.busy(['7-2-1000'], 5);

  const result = await destination.deliver(originBatch(records(2)), controller.signal);

  assert.ok(result.status === 'retryable' && result.code === 'HTTP_ABORTED', JSON.stringify(result));
  assert.equal(receiver.requests.length, 1);
});

test('413 splits the batch in halves until each part fits; a document too large on its own is refused, the rest stored', async (t) => {
  const receiver = await receiverFor(t);
  const lines = records(4);
  lines[2] = JSON.stringify({ RayID: 'huge', Pad: 'x'.repeat(600) });
  receiver.limitBytes(400);

  const result = await destinationFor(t, receiver).deliver(originBatch(lines), never);

  assert.ok(result.status === 'delivered', JSON.stringify(result));
  assert.equal(result.refused?.length, 1);
  assert.deepEqual([result.refused?.[0]?.offset, result.refused?.[0]?.code, result.refused?.[0]?.document], [1003, 'document_too_large', lines[2]]);
  assert.match(result.refused?.[0]?.reason ?? '', /HTTP 413 for this document alone \(Request Entity Too Large\)/);
  assert.deepEqual([...receiver.stored.keys()], ['7-2-1000', '7-2-1001', '7-2-1004']);
  // 4 docs (413) → [0,1] (fits) and [2,3] (413) → [2] (413, alone) and [3] (fits).
  assert.deepEqual(
    receiver.requests.map((request) => request.actions.length),
    [4, 2, 2, 1, 1],
  );
});
