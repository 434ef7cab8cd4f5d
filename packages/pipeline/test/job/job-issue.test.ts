import { test } from 'node:test';
import assert from 'node:assert/strict';
import { showValue } from '../../src/job/job-issue.js';

test('showValue keeps long values short', () => {
  assert.equal(showValue('x'.repeat(200)).length, 80);
  assert.equal(showValue(undefined), 'nothing');
});

test('showValue names a value JSON cannot show, and shows a bigint exactly', () => {
  assert.equal(showValue(() => 1), 'a function');
  assert.equal(showValue(2n ** 64n), '18446744073709551616');
});
