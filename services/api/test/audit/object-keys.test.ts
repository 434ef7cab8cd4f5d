import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { batchOverlaps, listingPlan, parseBatchKey, startsPastRange } from '../../src/audit/object-keys.js';

const NO_SLACK = { recordSlackMs: 0, maxBatchSpanMs: 0 };
const at = (iso: string): number => Date.parse(iso);

describe('listingPlan', () => {
  test('a {DATE} path is listed one UTC day at a time, the first day starting after the earliest batch that can reach the range', () => {
    const plans = listingPlan('http/{DATE}', at('2026-01-30T23:00:00Z'), at('2026-02-01T01:00:00Z'), { recordSlackMs: 0, maxBatchSpanMs: 3_600_000 });
    assert.deepEqual(plans, [
      { prefix: 'http/20260130/', startAfter: 'http/20260130/20260130T220000Z' },
      { prefix: 'http/20260131/', startAfter: undefined },
      { prefix: 'http/20260201/', startAfter: undefined },
    ]);
  });

  test('a path without {DATE} is one folder listed after the earliest start that matters; the root has no prefix', () => {
    assert.deepEqual(listingPlan('logs/', at('2026-01-31T12:00:00Z'), at('2026-01-31T13:00:00Z'), NO_SLACK), [{ prefix: 'logs/', startAfter: 'logs/20260131T120000Z' }]);
    assert.deepEqual(listingPlan('', at('2026-01-31T12:00:00Z'), at('2026-01-31T13:00:00Z'), NO_SLACK), [{ prefix: '', startAfter: '20260131T120000Z' }]);
  });
});

describe('parseBatchKey', () => {
  test("reads the start and end of one job's batch key, and ignores other jobs, test objects and deeper folders", () => {
    assert.deepEqual(parseBatchKey('http/20260131/20260131T120000Z_20260131T120030Z_job7-p3-o1200.log.gz', 'http/20260131/', 7), {
      key: 'http/20260131/20260131T120000Z_20260131T120030Z_job7-p3-o1200.log.gz',
      startMs: at('2026-01-31T12:00:00Z'),
      endMs: at('2026-01-31T12:00:30Z'),
    });
    assert.equal(parseBatchKey('http/20260131/20260131T120000Z_20260131T120030Z_job70-p3-o1200.log.gz', 'http/20260131/', 7), undefined);
    assert.equal(parseBatchKey('http/20260131/test.txt.gz', 'http/20260131/', 7), undefined);
    assert.equal(parseBatchKey('http/20260131/x/20260131T120000Z_20260131T120030Z_job7-p3-o1.log.gz', 'http/20260131/', 7), undefined);
  });
});

describe('batchOverlaps and startsPastRange', () => {
  const batch = { key: 'k', startMs: at('2026-01-31T12:00:00Z'), endMs: at('2026-01-31T12:00:30Z') };
  test('a batch overlaps a range that starts before its last second ends and ends after it starts', () => {
    assert.equal(batchOverlaps(batch, at('2026-01-31T12:00:30.500Z'), at('2026-01-31T13:00:00Z'), NO_SLACK), true);
    assert.equal(batchOverlaps(batch, at('2026-01-31T12:00:31Z'), at('2026-01-31T13:00:00Z'), NO_SLACK), false);
    assert.equal(batchOverlaps(batch, at('2026-01-31T11:00:00Z'), at('2026-01-31T12:00:00Z'), NO_SLACK), false);
    assert.equal(batchOverlaps(batch, at('2026-01-31T11:00:00Z'), at('2026-01-31T12:00:00.001Z'), NO_SLACK), true);
  });

  test('the slack widens the batch on both sides, for requests that reached Kafka after they started', () => {
    const slack = { recordSlackMs: 60_000, maxBatchSpanMs: 0 };
    assert.equal(batchOverlaps(batch, at('2026-01-31T12:01:00Z'), at('2026-01-31T13:00:00Z'), slack), true);
    assert.equal(batchOverlaps(batch, at('2026-01-31T12:01:31Z'), at('2026-01-31T13:00:00Z'), slack), false);
    assert.equal(startsPastRange(batch, at('2026-01-31T11:59:30Z'), slack), false);
    assert.equal(startsPastRange(batch, at('2026-01-31T11:59:00Z'), slack), true);
  });
});
