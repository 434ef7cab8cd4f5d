import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionLags } from '../src/lag-reader.js';

void test('lag is the end offset minus the committed one per partition, null where nothing is committed, never negative', () => {
  const lags = partitionLags(
    [
      { partition: 1, offset: '-1' },
      { partition: 0, offset: '40' },
      { partition: 2, offset: '9' },
    ],
    [
      { partition: 2, offset: '7' },
      { partition: 0, offset: '55' },
      { partition: 1, offset: '3' },
    ],
  );
  assert.deepEqual(lags, [
    { partition: 0, committed: 40, end: 55, lag: 15 },
    { partition: 1, committed: null, end: 3, lag: null },
    { partition: 2, committed: 9, end: 7, lag: 0 },
  ]);
});
