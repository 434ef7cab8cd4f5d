// Tests for reading Retry-After, which every HTTP-speaking destination shares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../src/retry/retry-after.js';

test('Retry-After may be seconds or an HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(' 120 '), 120_000);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000);
});

test('a date already past means retry now, not a negative wait', () => {
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 08:00:00 GMT')), 0);
});

test('values that are neither delay-seconds nor a date are ignored', () => {
  for (const value of ['soon', '', '-3', '1.5', '1e3', '0x10']) assert.equal(parseRetryAfter(value), undefined, value);
});
