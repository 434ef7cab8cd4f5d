import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRfc3339Nanos } from '../../src/json/rfc3339.js';

test('UTC date-times convert to exact nanoseconds, fractions included', () => {
  assert.equal(parseRfc3339Nanos('2019-11-10T09:51:07Z'), 1_573_379_467_000_000_000n);
  assert.equal(parseRfc3339Nanos('2014-01-01T05:20:00.12345Z'), 1_388_553_600_123_450_000n);
  assert.equal(parseRfc3339Nanos('2023-11-14T22:13:20.016478500Z'), 1_700_000_000_016_478_500n);
  assert.equal(parseRfc3339Nanos('1970-01-01T00:00:00Z'), 0n);
  assert.equal(parseRfc3339Nanos('1969-12-31T23:59:59.999999999Z'), -1n);
});

test('offsets are applied, and a space or lowercase letters are accepted as RFC 3339 allows', () => {
  assert.equal(parseRfc3339Nanos('2019-11-10T10:51:07+01:00'), 1_573_379_467_000_000_000n);
  assert.equal(parseRfc3339Nanos('2019-11-10T04:21:07-05:30'), 1_573_379_467_000_000_000n);
  assert.equal(parseRfc3339Nanos('2019-11-10 09:51:07z'), 1_573_379_467_000_000_000n);
});

test('digits beyond nanoseconds are truncated', () => {
  assert.equal(parseRfc3339Nanos('2019-11-10T09:51:07.1234567899Z'), 1_573_379_467_123_456_789n);
});

test('impossible dates and times, and other formats, are refused', () => {
  for (const text of [
    '2019-13-10T09:51:07Z',
    '2019-02-29T09:51:07Z',
    '2019-04-31T09:51:07Z',
    '2019-11-10T24:00:00Z',
    '2019-11-10T09:60:00Z',
    '2016-12-31T23:59:60Z',
    '2019-11-10T09:51:07',
    '2019-11-10T09:51:07+25:00',
    '2019-11-10',
    '1573379467',
    'yesterday',
  ]) {
    assert.equal(parseRfc3339Nanos(text), undefined, text);
  }
  assert.equal(parseRfc3339Nanos('2024-02-29T00:00:00Z'), 1_709_164_800_000_000_000n);
});

test('agrees with Date to the millisecond across the int64 nanosecond range', () => {
  const dates = fc.date({ min: new Date('1678-01-01T00:00:00Z'), max: new Date('2261-12-31T23:59:59Z'), noInvalidDate: true });
  fc.assert(
    fc.property(dates, (date) => {
      assert.equal(parseRfc3339Nanos(date.toISOString()), BigInt(date.getTime()) * 1_000_000n);
    }),
    { numRuns: 500 },
  );
});
