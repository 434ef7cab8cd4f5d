import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHealthRecord, healthKey } from '../src/health-records.js';

const report = { id: 9, last_complete: '2026-01-01T00:00:00.000Z', last_error: null, error_message: null, reported_at: '2026-01-01T00:00:05.000Z', worker: 'w1', records_delivered: 5 };

void test('a health report reads back whole, counters included', () => {
  assert.deepEqual(decodeHealthRecord(Buffer.from(healthKey(9)), Buffer.from(JSON.stringify(report))), { ok: true, id: 9, health: report });
  assert.deepEqual(decodeHealthRecord(Buffer.from('9'), null), { ok: true, id: 9, health: null });
});

void test('a health record with a bad key, a mismatched id or mistyped Logpush fields is refused', () => {
  const refused = (key: string, value: unknown): string => {
    const decoded = decodeHealthRecord(Buffer.from(key), Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
    return decoded.ok ? 'accepted' : decoded.reason;
  };
  assert.match(refused('job/9', report), /not a job id/);
  assert.match(refused('10', report), /id 9 is not the key's id 10/);
  assert.match(refused('9', { ...report, last_error: 5 }), /last_error is neither a string nor null/);
  assert.match(refused('9', { ...report, worker: undefined }), /worker is not a string/);
  assert.match(refused('9', '[1]'), /not a JSON object/);
  assert.match(refused('9', '{'), /not JSON/);
});
