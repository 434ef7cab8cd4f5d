import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cutsFit, decodeCuts, encodeCuts, MAX_CUT_METADATA_BYTES } from '../../src/commit/batch-cuts.js';

test('cuts survive a round trip through commit metadata', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) })), { maxLength: 20 }), (cuts) => {
      assert.deepEqual(decodeCuts(encodeCuts(cuts)), cuts);
    }),
  );
});

test('no cuts commit no metadata, and metadata Sluice did not write reads as no cuts', () => {
  assert.equal(encodeCuts([]), '');
  assert.deepEqual(decodeCuts(null), []);
  assert.deepEqual(decodeCuts(''), []);
  assert.deepEqual(decodeCuts('written by another tool'), []);
  assert.deepEqual(decodeCuts('sluice-cuts:1:5-2'), [], 'a cut ending before it starts is not trusted');
  assert.deepEqual(decodeCuts('sluice-cuts:1:1-2,x'), [], 'one bad entry discards the list');
});

test('the cut list stays within Kafka’s default metadata limit', () => {
  const many = Array.from({ length: 500 }, (_, i) => ({ from: 1e12 + i * 10, to: 1e12 + i * 10 + 9 }));
  assert.equal(cutsFit(many.slice(0, 10)), true);
  assert.equal(cutsFit(many), false);
  assert.ok(encodeCuts(many).length > MAX_CUT_METADATA_BYTES);
});
