import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coerceJsonValue, INVALID } from '../../src/json/coerce.js';

const marked = (digits: string) => `\ud800${digits}`;

test('ints stay numbers when safe, become bigints beyond 2^53 and are refused beyond int64', () => {
  assert.equal(coerceJsonValue('int', 42), 42);
  assert.equal(coerceJsonValue('int', marked('9007199254740993')), 9_007_199_254_740_993n);
  assert.equal(coerceJsonValue('int', marked('1234567890123456')), 1_234_567_890_123_456);
  assert.equal(coerceJsonValue('int', marked('9223372036854775808')), INVALID);
  assert.equal(coerceJsonValue('int', 1.5), INVALID);
  assert.equal(coerceJsonValue('int', 1e20), INVALID);
  assert.equal(coerceJsonValue('int', '42'), INVALID);
});

test('timestamps accept integer nanoseconds, numeric strings and RFC 3339, always as bigint', () => {
  const nanos = 1_573_379_467_000_000_000n;
  assert.equal(coerceJsonValue('timestamp', marked('1573379467000000000')), nanos);
  assert.equal(coerceJsonValue('timestamp', '1573379467000000000'), nanos);
  assert.equal(coerceJsonValue('timestamp', '2019-11-10T09:51:07Z'), nanos);
  assert.equal(coerceJsonValue('timestamp', 1000), 1000n);
  assert.equal(coerceJsonValue('timestamp', '9999-12-31T23:59:59Z'), INVALID); // beyond int64 nanoseconds
  assert.equal(coerceJsonValue('timestamp', 1.5), INVALID);
  assert.equal(coerceJsonValue('timestamp', true), INVALID);
});

test('strings must be strings the producer wrote, not long integer literals', () => {
  assert.equal(coerceJsonValue('string', 'abc'), 'abc');
  assert.equal(coerceJsonValue('string', '\u{10000}x'), '\u{10000}x');
  assert.equal(coerceJsonValue('string', marked('1234567890123456789')), INVALID);
  assert.equal(coerceJsonValue('string', 5), INVALID);
});

test('maps, float maps and arrays check every value and convert long literals in place', () => {
  assert.deepEqual(coerceJsonValue('map', { a: 'b' }), { a: 'b' });
  assert.equal(coerceJsonValue('map', { a: 1 }), INVALID);
  assert.equal(coerceJsonValue('map', ['a']), INVALID);
  assert.deepEqual(coerceJsonValue('float-map', { ratio: 0.5, rank: marked('12345678901234567') }), { ratio: 0.5, rank: 12345678901234568 });
  assert.equal(coerceJsonValue('float-map', { ratio: '0.5' }), INVALID);
  assert.deepEqual(coerceJsonValue('int[]', [1, marked('9007199254740993')]), [1, 9_007_199_254_740_993n]);
  assert.equal(coerceJsonValue('int[]', [1, 'two']), INVALID);
  assert.deepEqual(coerceJsonValue('string[]', ['a']), ['a']);
  assert.equal(coerceJsonValue('string[]', 'a'), INVALID);
});

test('floats accept any number, bools only booleans, scope ids only hex ids', () => {
  assert.equal(coerceJsonValue('float', 2.31), 2.31);
  assert.equal(coerceJsonValue('float', '2.31'), INVALID);
  assert.equal(coerceJsonValue('bool', false), false);
  assert.equal(coerceJsonValue('bool', 0), INVALID);
  assert.equal(coerceJsonValue('scope-id', '023e105f4ecef8ad9ca31a8372d0c353'), '023e105f4ecef8ad9ca31a8372d0c353');
  assert.equal(coerceJsonValue('scope-id', 'example.com'), INVALID);
});
