import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyExact } from '../../src/json/stringify-exact.js';

test('bigints anywhere in the value are written as exact JSON integers', () => {
  assert.equal(stringifyExact({ t: 1700000000016478501n, ids: [1, -9007199254740993n], s: 'a' }), '{"t":1700000000016478501,"ids":[1,-9007199254740993],"s":"a"}');
});

test('strings that merely look like the marker are left alone', () => {
  assert.equal(stringifyExact({ s: 'bigint:5' }), '{"s":"bigint:5"}');
  assert.equal(stringifyExact(undefined), 'null');
});
