// The gzip batch: framing, compression, offsets and times, and when a batch is full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createGzipBatch, PLAIN_FRAMING } from '../../src/batch/gzip-batch.js';
import { batchLimitsForJob } from '../../src/batch/batch-limits.js';

test('a sealed batch is the gzip of its lines, with its offsets, times and sizes', async () => {
  const batch = createGzipBatch(PLAIN_FRAMING, 1000);
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const line = `{"n":${i},"text":"héllo ${'x'.repeat(i % 50)}"}\n`;
    lines.push(line);
    batch.add(line, 100 + i, 2000 - (i % 7));
  }
  const sealed = await batch.seal();
  const text = gunzipSync(sealed.body).toString('utf8');
  assert.equal(text, lines.join(''));
  assert.equal(sealed.records, 5000);
  assert.equal(sealed.uncompressedBytes, Buffer.byteLength(text));
  assert.equal(sealed.firstOffset, 100);
  assert.equal(sealed.lastOffset, 5099);
  assert.equal(sealed.startTimeMs, 1994);
  assert.equal(sealed.endTimeMs, 2000);
  assert.ok(sealed.body.length < sealed.uncompressedBytes / 3);
});

test('batch framing wraps and delimits the records', async () => {
  const batch = createGzipBatch({ batchPrefix: '{"events":[', batchSuffix: ']}\n', recordDelimiter: ',', escapeJndi: false }, 0);
  batch.add('{"a":1}', 0, 0);
  batch.add('{"a":2}', 1, 0);
  const sealed = await batch.seal();
  assert.equal(gunzipSync(sealed.body).toString(), '{"events":[{"a":1},{"a":2}]}\n');
});

test('a batch is full at whichever limit comes first: records, bytes or age', () => {
  const limits = { maxRecords: 3, maxBytes: 100, maxAgeMs: 30_000 };
  const byCount = createGzipBatch(PLAIN_FRAMING, 0);
  for (let i = 0; i < 3; i++) byCount.add('x', i, 0);
  assert.equal(byCount.isFull(limits, 0), true);
  const bySize = createGzipBatch(PLAIN_FRAMING, 0);
  bySize.add('y'.repeat(100), 0, 0);
  assert.equal(bySize.isFull(limits, 0), true);
  const byAge = createGzipBatch(PLAIN_FRAMING, 0);
  byAge.add('z', 0, 0);
  assert.equal(byAge.isFull(limits, 29_999), false);
  assert.equal(byAge.isFull(limits, 30_000), true);
  assert.equal(createGzipBatch(PLAIN_FRAMING, 0).isFull(limits, 60_000), false, 'an empty batch never needs pushing');
});

test('Logpush upload limits map onto batch limits, 0 bytes meaning no size limit', () => {
  assert.deepEqual(batchLimitsForJob({ maxUploadRecords: 100_000, maxUploadBytes: 0, maxUploadIntervalSeconds: 30 }), {
    maxRecords: 100_000,
    maxBytes: Infinity,
    maxAgeMs: 30_000,
  });
});
