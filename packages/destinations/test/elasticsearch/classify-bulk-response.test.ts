// Tests for judging bulk replies item by item, and for splitting batches into bulk items.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyBulkReply } from '../../src/elasticsearch/classify-bulk-response.js';
import { batchItems } from '../../src/elasticsearch/bulk-encoder.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';

function reply(...items: Array<{ status: number; error?: Record<string, unknown> }>): string {
  return JSON.stringify({ errors: items.some((item) => item.status >= 300), items: items.map((item) => ({ create: item })) });
}

test('201 and 409 are stored, 429 and 5xx are resent, 400 is refused with its type and reason', () => {
  const verdict = classifyBulkReply(
    reply(
      { status: 201 },
      { status: 409, error: { type: 'version_conflict_engine_exception', reason: '[7-2-1]: version conflict, document already exists' } },
      { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' } },
      { status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } },
      { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse', caused_by: { type: 'not_x_content_exception', reason: 'Compressor detection can only be called on some xcontent bytes' } } },
    ),
    5,
  );
  assert.deepEqual(verdict, {
    ok: true,
    items: [
      { kind: 'stored' },
      { kind: 'stored' },
      { kind: 'retry', why: '429 es_rejected_execution_exception: rejected execution' },
      { kind: 'retry', why: '503 unavailable_shards_exception: primary shard is not active' },
      { kind: 'refused', code: 'mapper_parsing_exception', reason: 'failed to parse; caused by not_x_content_exception: Compressor detection can only be called on some xcontent bytes' },
    ],
  });
});

test('a flood-stage block (429 cluster_block_exception) is waited out, while a write block (403) rejects the batch', () => {
  const flood = classifyBulkReply(reply({ status: 429, error: { type: 'cluster_block_exception', reason: 'index has read-only-allow-delete block' } }), 1);
  assert.deepEqual(flood, { ok: true, items: [{ kind: 'retry', why: '429 cluster_block_exception: index has read-only-allow-delete block' }] });
  const blocked = classifyBulkReply(reply({ status: 201 }, { status: 403, error: { type: 'cluster_block_exception', reason: 'index write (api)' } }), 2);
  assert.deepEqual(blocked, { ok: false, failure: { status: 'rejected', code: 'ES_ITEM_403', message: 'the index refused the documents: 403 cluster_block_exception: index write (api)' } });
});

test('an index error with a 400 status (invalid index name, missing index) rejects the batch rather than refusing documents', () => {
  const invalid = classifyBulkReply(reply({ status: 400, error: { type: 'invalid_index_name_exception', reason: 'Invalid index name [Logs], must be lowercase' } }), 1);
  assert.equal(!invalid.ok && invalid.failure.code, 'ES_ITEM_400');
  const missing = classifyBulkReply(reply({ status: 404, error: { type: 'index_not_found_exception', reason: 'no such index [logs]' } }), 1);
  assert.equal(!missing.ok && missing.failure.status, 'rejected');
});

test('errors:false stores every item without reading them one by one', () => {
  assert.deepEqual(classifyBulkReply('{"errors":false,"items":[{"create":{"status":201}},{"create":{}}]}', 2), { ok: true, items: [{ kind: 'stored' }, { kind: 'stored' }] });
});

test('a reply that is not JSON, lists another number of items, or has an item without status is not a bulk reply', () => {
  for (const [body, expected] of [['<html>', 1], ['{"errors":false,"items":[]}', 1], ['{"errors":true,"items":[{"create":{"error":{}}}]}', 1]] as const) {
    const verdict = classifyBulkReply(body, expected);
    assert.ok(!verdict.ok && verdict.failure.status === 'rejected' && verdict.failure.code === 'ES_NOT_A_BULK_REPLY', `${body}: ${JSON.stringify(verdict)}`);
  }
});

test('a batch splits into one item per line, whether or not the last line ends in a line break', () => {
  const withBreak = batchItems('{"a":1}\n{"a":2}\n', { ...ndjsonBatch(['x', 'y'], 's1') });
  const withoutBreak = batchItems('{"a":1}\n{"a":2}', { ...ndjsonBatch(['x', 'y'], 's1') });
  for (const split of [withBreak, withoutBreak]) {
    assert.ok(split.ok);
    assert.deepEqual(
      split.items.map((item) => [item.id, item.offset, item.document]),
      [
        ['s1-0', -1, '{"a":1}'],
        ['s1-1', -1, '{"a":2}'],
      ],
    );
  }
});

test('a batch whose origin names another number of offsets than records is rejected', () => {
  const split = batchItems('{"a":1}\n', { ...ndjsonBatch(['x']), origin: { jobId: 1, partition: 0, offsets: [1, 2] } });
  assert.deepEqual(split.ok ? undefined : split.code, 'ES_BATCH_ORIGIN_MISMATCH');
});
