// The gzip batch: framing, compression, offsets and times, and when a batch is full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createGzipBatch, PLAIN_FRAMING } from '../../src/batch/gzip-batch.js';
import { batchLimitsForJob, MAX_BATCH_BYTES } from '../../src/batch/batch-limits.js';

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

test('Logpush upload limits map onto batch limits, 0 bytes meaning Logpush’s largest size, never unbounded', () => {
  assert.deepEqual(batchLimitsForJob({ maxUploadRecords: 100_000, maxUploadBytes: 0, maxUploadIntervalSeconds: 30 }), {
    maxRecords: 100_000,
    maxBytes: MAX_BATCH_BYTES,
    maxAgeMs: 30_000,
  });
});

test('a batch remembers its first record’s time and counts the memory it holds', () => {
  const batch = createGzipBatch(PLAIN_FRAMING, 0);
  assert.ok(Number.isNaN(batch.firstTimeMs));
  batch.add('{"a":1}', 7, 1_000);
  batch.add('{"a":2}', 8, 500);
  assert.equal(batch.firstTimeMs, 1_000);
  assert.ok(batch.memoryBytes >= 14 + 16, `memory ${batch.memoryBytes} counts text and offsets`);
});
