import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createJsonReader } from '../../src/json/json-reader.js';
import type { JsonFieldKind } from '../../src/json/coerce.js';
import { getDataset } from '../../src/index.js';
import type { DatasetRecord, DecodeResult } from '../../src/index.js';
import { recordArbitrary } from '../fixtures/arbitraries.js';
import { toJsonText } from '../fixtures/sample-records.js';

function readerFor(fields?: readonly string[]) {
  const dataset = getDataset('http_requests');
  const wanted = new Map<string, JsonFieldKind>([['_zone_id', 'scope-id'], ['_account_id', 'scope-id']]);
  for (const name of fields ?? dataset.fieldNames) wanted.set(name, dataset.field(name)?.kind ?? 'string');
  const read = createJsonReader('http_requests', wanted);
  return (text: string) => read(Buffer.from(text), 0);
}

const read = readerFor();

function ok(result: DecodeResult): DatasetRecord {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.record;
}

function badJson(result: DecodeResult): string {
  assert.ok(!result.ok);
  assert.equal(result.code, 'DECODE_BAD_JSON');
  return result.message;
}

test('a timestamp beyond 2^53 written as a bare integer keeps every digit', () => {
  assert.equal(ok(read('{"EdgeStartTimestamp":1700000000016478501}')).EdgeStartTimestamp, 1_700_000_000_016_478_501n);
});

test('integer nanoseconds, numeric strings and RFC 3339 strings give the same timestamp', () => {
  const expected = { EdgeStartTimestamp: 1_573_379_467_000_000_000n };
  assert.deepStrictEqual(ok(read('{"EdgeStartTimestamp":1573379467000000000}')), expected);
  assert.deepStrictEqual(ok(read('{"EdgeStartTimestamp":"1573379467000000000"}')), expected);
  assert.deepStrictEqual(ok(read('{"EdgeStartTimestamp":"2019-11-10T09:51:07Z"}')), expected);
});

test('ints beyond 2^53 come back as exact bigints and safe ones as numbers', () => {
  const record = ok(read('{"ClientRequestBytes":9007199254740993,"EdgeResponseBytes":4600,"BotDetectionIDs":[1,18446744073]}'));
  assert.equal(record.ClientRequestBytes, 9_007_199_254_740_993n);
  assert.equal(record.EdgeResponseBytes, 4600);
  assert.deepEqual(record.BotDetectionIDs, [1, 18_446_744_073]);
});

test('null values count as absent and unknown keys are ignored', () => {
  assert.deepStrictEqual(ok(read('{"ClientIP":null,"Unknown":{"x":1},"RayID":"abc"}')), { RayID: 'abc' });
});

test('a value of the wrong type names the field and the value as written', () => {
  assert.match(badJson(read('{"EdgeResponseStatus":"200"}')), /field EdgeResponseStatus: "200" is not an integer/);
  assert.match(badJson(read('{"ClientIP":12345678901234567890}')), /field ClientIP: 12345678901234567890 is not a string/);
  assert.match(badJson(read('{"EdgeStartTimestamp":"yesterday"}')), /field EdgeStartTimestamp: "yesterday" is not integer nanoseconds/);
  assert.match(badJson(read('{"RequestHeaders":{"x-id":7}}')), /field RequestHeaders: \{"x-id":7\} is not an object of strings/);
  assert.match(badJson(read('{"CacheTieredFill":"yes"}')), /CacheTieredFill/);
});

test('an integer array that fails after a big element is reported, not thrown', () => {
  assert.match(badJson(read('{"BotDetectionIDs":[9007199254740993,0.5]}')), /field BotDetectionIDs: \[9007199254740993,0.5\] is not an array of integers/);
});

test('a string that only starts like a big-integer mark is a string, never a crash', () => {
  assert.match(badJson(read('{"EdgeStartTimestamp":"\\ud800-x5"}')), /field EdgeStartTimestamp: .* is not integer nanoseconds/);
});

test('scope ids must be 32 lowercase hex digits', () => {
  assert.match(badJson(read('{"_zone_id":"023E105F4ECEF8AD9CA31A8372D0C353"}')), /field _zone_id: .* is not a 32-digit lowercase hex id/);
  assert.deepStrictEqual(ok(read('{"_account_id":"372e67954025e0ba6aaa6d586b9e0b59"}')), { _account_id: '372e67954025e0ba6aaa6d586b9e0b59' });
});

test('text that is not JSON is DECODE_BAD_JSON with the parser message', () => {
  assert.match(badJson(read('{"ClientIP":')), /invalid JSON http_requests record: /);
});

test('a projected reader keeps the chosen fields and the scope fields, and does not check the rest', () => {
  const projected = readerFor(['RayID']);
  const text = '{"RayID":"r","ClientIP":1,"_zone_id":"023e105f4ecef8ad9ca31a8372d0c353"}';
  assert.deepStrictEqual(ok(projected(text)), { RayID: 'r', _zone_id: '023e105f4ecef8ad9ca31a8372d0c353' });
});

test('any JSON-safe record survives a trip through JSON text exactly', () => {
  fc.assert(
    fc.property(recordArbitrary('http_requests', { jsonSafe: true }), (record) => {
      assert.deepStrictEqual(ok(read(toJsonText(record))), record);
    }),
    { numRuns: 150 },
  );
});
