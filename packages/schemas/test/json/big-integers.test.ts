import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeJsonValue, markBigIntegers, markedDigits } from '../../src/json/big-integers.js';

test('integer literals of 16 or more digits become marked strings; shorter ones stay numbers', () => {
  const text = '{"a":1700000000016478500,"b":-9007199254740993,"c":900719925474099,"d":[1234567890123456]}';
  const parsed = JSON.parse(markBigIntegers(text)) as Record<string, unknown>;
  assert.equal(markedDigits(parsed.a), '1700000000016478500');
  assert.equal(markedDigits(parsed.b), '-9007199254740993');
  assert.equal(parsed.c, 900719925474099);
  assert.equal(markedDigits((parsed.d as unknown[])[0]), '1234567890123456');
});

test('digits inside strings, and numbers with a fraction or exponent, are left alone', () => {
  const text = '{"s":"1700000000016478500","e":"a\\"1700000000016478500","f":1700000000016478500.5,"x":1700000000016478500e2}';
  assert.equal(markBigIntegers(text), text);
});

test('text without a 16-digit run is returned as the very same string', () => {
  const text = '{"EdgeResponseStatus":200}';
  assert.equal(markBigIntegers(text), text);
});

test('marked strings are recognised only by their mark', () => {
  assert.equal(markedDigits('1700000000016478500'), undefined);
  assert.equal(markedDigits(1700), undefined);
  assert.equal(markedDigits('\ud80042'), '42');
  assert.equal(markedDigits('\ud800\udc00'), undefined); // U+10000 starts with the same code unit
});

test('marking never changes any other part of a JSON document', () => {
  const unmark = (_key: string, value: unknown) => {
    const digits = markedDigits(value);
    return digits === undefined ? value : Number(digits);
  };
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const text = JSON.stringify(value);
      assert.deepStrictEqual(JSON.parse(markBigIntegers(text), unmark), JSON.parse(text));
    }),
    { numRuns: 300 },
  );
});

test('error messages show marked literals as the digits the producer wrote', () => {
  assert.equal(describeJsonValue(['\ud8001700000000016478500', 'x']), '[1700000000016478500,"x"]');
  assert.equal(describeJsonValue('y'.repeat(100)).length, 80);
});
