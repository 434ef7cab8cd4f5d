// Builds a DeliveryBatch as the pipeline does by default: NDJSON records, one per line, gzip-compressed.
import { gzipSync } from 'node:zlib';
import type { DeliveryBatch } from '../../src/destination.js';

export function ndjsonBatch(records: readonly string[], suffix = 'job1-p0-o0'): DeliveryBatch {
  const text = records.map((record) => `${record}\n`).join('');
  return {
    body: gzipSync(text),
    records: records.length,
    uncompressedBytes: Buffer.byteLength(text),
    startTimeMs: Date.UTC(2026, 0, 31, 12),
    endTimeMs: Date.UTC(2026, 0, 31, 12, 0, 30),
    suffix,
  };
}
