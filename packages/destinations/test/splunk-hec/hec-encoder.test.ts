import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventEncoder, encodeRawBody, splitRecords } from '../../src/splunk-hec/hec-encoder.js';
import { createDeliveryProgress } from '../../src/delivery-progress.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';

const NO_METADATA = { sourcetype: undefined, source: undefined, host: undefined, index: undefined };

test('records are the non-blank lines of the batch, without their line endings', () => {
  assert.deepEqual(splitRecords('{"a":1}\n{"a":2}\n\n{"a":3}\n'), ['{"a":1}', '{"a":2}', '{"a":3}']);
  assert.equal(encodeRawBody(['x', 'y']), 'x\ny\n');
});

test('a JSON record goes into the envelope verbatim, so integers beyond 2^53 keep every digit', () => {
  const encode = createEventEncoder({ ...NO_METADATA, sourcetype: 'cloudflare:json', index: 'edge' });
  assert.equal(encode(['{"RayID":"7f","ZoneID":9007199254740993}']), '{"event":{"RayID":"7f","ZoneID":9007199254740993},"sourcetype":"cloudflare:json","index":"edge"}\n');
});

test('a record that is not JSON, or is a blank JSON value, goes in as a string', () => {
  const encode = createEventEncoder(NO_METADATA);
  assert.equal(encode(['1.2.3.4,GET,"/"', 'null', '""', '{"broken":']), ['{"event":"1.2.3.4,GET,\\"/\\""}', '{"event":"null"}', '{"event":"\\"\\""}', '{"event":"{\\"broken\\":"}', ''].join('\n'));
  assert.equal(encode(['{"a":1}\r']), '{"event":{"a":1}}\n');
});

test('progress is remembered per batch, evicting the oldest beyond its size, and forgotten on request', () => {
  const progress = createDeliveryProgress(2);
  const [a, b, c] = [ndjsonBatch(['1'], 'a'), ndjsonBatch(['1'], 'b'), ndjsonBatch(['1'], 'c')];
  progress.record(a, 1);
  progress.record(b, 1);
  progress.record(a, 1); // a is now the most recent
  progress.record(c, 1);
  assert.deepEqual([progress.accepted(a), progress.accepted(b), progress.accepted(c)], [1, 0, 1]);
  // Same name, different content: not the same batch.
  assert.equal(progress.accepted(ndjsonBatch(['1', '2'], 'a')), 0);
  progress.forget(a);
  assert.equal(progress.accepted(a), 0);
});
