// Value encoders: one field value as JSON text, per kind and timestamp format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timestampEncoder, valueEncoder } from '../../src/render/value-encoders.js';

const NANOS = 1506702504433000200n;

test('every Logpush timestamp format renders exactly', () => {
  assert.equal(timestampEncoder('unixnano')(NANOS), '1506702504433000200');
  assert.equal(timestampEncoder('unix')(NANOS), '1506702504');
  assert.equal(timestampEncoder('rfc3339')(NANOS), '"2017-09-29T16:28:24Z"');
  assert.equal(timestampEncoder('rfc3339ms')(NANOS), '"2017-09-29T16:28:24.433Z"');
  assert.equal(timestampEncoder('rfc3339ns')(NANOS), '"2017-09-29T16:28:24.433000200Z"');
});

test('times before 1970 keep a positive fraction', () => {
  assert.equal(timestampEncoder('rfc3339ms')(-1_500_000n), '"1969-12-31T23:59:59.998Z"');
});

test('int array elements beyond 2^53 render exactly, not rounded', () => {
  assert.equal(valueEncoder('int[]', 'unixnano')([1, 9007199254740993n]), '[1,9007199254740993]');
  assert.equal(valueEncoder('map', 'unixnano')({ a: 'x"y' }), '{"a":"x\\"y"}');
});

test('rfc3339 encoders reuse the seconds of the previous value only when they are the same second', () => {
  const encode = timestampEncoder('rfc3339ms');
  assert.equal(encode(1506702504433000200n), '"2017-09-29T16:28:24.433Z"');
  assert.equal(encode(1506702504999999999n), '"2017-09-29T16:28:24.999Z"');
  assert.equal(encode(1506702505000000000n), '"2017-09-29T16:28:25.000Z"');
  assert.equal(encode(1506702504000000001n), '"2017-09-29T16:28:24.000Z"');
});
