import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutAfter, cutsBefore, idleCutDue, isReproducibleCut } from '../../src/batch/batch-cut.js';
import { createGzipBatch, PLAIN_FRAMING } from '../../src/batch/gzip-batch.js';

const LIMITS = { maxRecords: 3, maxBytes: 100, maxAgeMs: 30_000 };

test('a batch is cut after the record that fills it by count or by bytes', () => {
  const byCount = createGzipBatch(PLAIN_FRAMING, 0);
  byCount.add('x', 0, 0);
  byCount.add('x', 1, 0);
  assert.equal(cutAfter(byCount, LIMITS), undefined);
  byCount.add('x', 2, 0);
  assert.equal(cutAfter(byCount, LIMITS), 'records');
  const bySize = createGzipBatch(PLAIN_FRAMING, 0);
  bySize.add('y'.repeat(100), 0, 0);
  assert.equal(cutAfter(bySize, LIMITS), 'bytes');
});

test('age is measured in record time: a record an interval after the first starts a new batch, whatever the clock says', () => {
  const batch = createGzipBatch(PLAIN_FRAMING, 5_000_000);
  batch.add('z', 0, 1_000);
  assert.equal(cutsBefore(batch, LIMITS, 30_999), false);
  assert.equal(cutsBefore(batch, LIMITS, 31_000), true);
  assert.equal(cutsBefore(createGzipBatch(PLAIN_FRAMING, 0), LIMITS, 1e12), false, 'an empty batch takes any record');
});

test('an idle batch is flushed by the clock, counted from when it was opened', () => {
  const batch = createGzipBatch(PLAIN_FRAMING, 100);
  assert.equal(idleCutDue(batch, LIMITS, 1e9), false, 'an empty batch never needs pushing');
  batch.add('z', 0, 0);
  assert.equal(idleCutDue(batch, LIMITS, 30_099), false);
  assert.equal(idleCutDue(batch, LIMITS, 30_100), true);
});

test('only cuts made from the records themselves are reproducible; clock, shutdown and memory cuts must be recorded', () => {
  assert.deepEqual(
    (['records', 'bytes', 'record-time', 'recorded', 'idle', 'shutdown', 'memory'] as const).filter(isReproducibleCut),
    ['records', 'bytes', 'record-time', 'recorded'],
  );
});
