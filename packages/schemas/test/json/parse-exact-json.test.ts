import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExactJson } from '../../src/json/parse-exact-json.js';

function value(text: string): unknown {
  const result = parseExactJson(text);
  if (!result.ok) assert.fail(result.message);
  return result.value;
}

test('integer literals of 16 or more digits become exact bigints', () => {
  assert.deepEqual(value('{"value": 12345678901234567890}'), { value: 12345678901234567890n });
  assert.deepEqual(value('[9007199254740993,-9223372036854775808,1234567890123456]'), [9007199254740993n, -9223372036854775808n, 1234567890123456n]);
});

test('shorter integers, fractions, exponents and digits inside strings are parsed as JSON.parse does', () => {
  assert.deepEqual(value('[123456789012345, 1.12345678901234567, 12345678901234567.5, 1e12345678901234567, 2E-12345678901234567]'), [
    123456789012345, Number('1.12345678901234567'), Number('12345678901234567.5'), Infinity, 0,
  ]);
  assert.deepEqual(value('{"a": "12345678901234567890", "b\\"1234567890123456789": "x\\\\", "c": 12345678901234567890}'), {
    a: '12345678901234567890',
    'b"1234567890123456789': 'x\\',
    c: 12345678901234567890n,
  });
});

test('invalid JSON is reported as JSON.parse reports the original text', () => {
  const result = parseExactJson('{"value": 12345678901234567890,}');
  assert.equal(result.ok, false);
  assert.ok(!result.ok && !result.message.includes('ud800'), JSON.stringify(result));
  let expected = '';
  try {
    JSON.parse('{"value": 12345678901234567890,}');
  } catch (error) {
    expected = (error as Error).message;
  }
  assert.deepEqual(result, { ok: false, message: expected });
});
