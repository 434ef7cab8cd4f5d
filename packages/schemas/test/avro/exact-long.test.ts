import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createAvscType, isExactLong, narrowBigInt, readExactLong } from '../../src/avro/exact-long.js';
import { exactLong, timestampNanos } from '../fixtures/arbitraries.js';

const longType = createAvscType({ type: 'record', name: 'L', fields: [{ name: 'v', type: 'long' }] });
const nanosType = createAvscType({
  type: 'record',
  name: 'T',
  fields: [{ name: 'v', type: { type: 'long', logicalType: 'timestamp-nanos' } }],
});
const nullableType = createAvscType({ type: 'record', name: 'N', fields: [{ name: 'v', type: ['null', 'long'], default: null }] });

/** Zigzag varint bytes of a value, computed independently of the code under test. */
function varint(value: bigint): Buffer {
  let zigzag = value >= 0n ? value * 2n : -value * 2n - 1n;
  const bytes: number[] = [];
  while (zigzag >= 128n) {
    bytes.push(Number(zigzag % 128n) + 128);
    zigzag /= 128n;
  }
  bytes.push(Number(zigzag));
  return Buffer.from(bytes);
}

test('a nanosecond timestamp beyond 2^53 survives an Avro round trip exactly', () => {
  const nanos = 1_700_000_000_016_478_500n;
  const bytes = nanosType.toBuffer({ v: nanos });
  assert.deepEqual(bytes, varint(nanos));
  assert.equal((nanosType.fromBuffer(bytes) as { v: unknown }).v, nanos);
});

test('timestamps always decode as bigints, even small ones', () => {
  assert.equal((nanosType.fromBuffer(nanosType.toBuffer({ v: 5 })) as { v: unknown }).v, 5n);
});

test('any int64 written as a long decodes to the same value, number when safe and bigint beyond', () => {
  fc.assert(
    fc.property(exactLong, (value) => {
      const bytes = longType.toBuffer({ v: value });
      assert.deepEqual(bytes, varint(BigInt(value)));
      assert.equal((longType.fromBuffer(bytes) as { v: unknown }).v, value);
      assert.equal(readExactLong({ buf: bytes, pos: 0 }), value);
    }),
  );
});

test('timestamps across the whole int64 range round-trip', () => {
  fc.assert(
    fc.property(timestampNanos, (value) => {
      assert.equal((nanosType.fromBuffer(nanosType.toBuffer({ v: value })) as { v: unknown }).v, value);
    }),
  );
});

test('bigints pass through nullable long unions', () => {
  const value = -(2n ** 63n);
  assert.equal((nullableType.fromBuffer(nullableType.toBuffer({ v: value })) as { v: unknown }).v, value);
  assert.equal((nullableType.fromBuffer(nullableType.toBuffer({ v: null })) as { v: unknown }).v, null);
});

test('values a long cannot carry exactly are refused rather than rounded', () => {
  assert.equal(isExactLong(2 ** 60), false);
  assert.equal(isExactLong(1.5), false);
  assert.equal(isExactLong(2n ** 63n), false);
  assert.equal(isExactLong(-(2n ** 63n) - 1n), false);
  assert.equal(isExactLong('5'), false);
  assert.throws(() => longType.toBuffer({ v: 2 ** 60 }));
  assert.throws(() => longType.toBuffer({ v: 2n ** 63n }));
});

test('narrowBigInt turns safe bigints into numbers and keeps the rest', () => {
  assert.equal(narrowBigInt(9_007_199_254_740_991n), 9_007_199_254_740_991);
  assert.equal(narrowBigInt(9_007_199_254_740_992n), 9_007_199_254_740_992n);
  assert.equal(narrowBigInt(-9_007_199_254_740_992n), -9_007_199_254_740_992n);
});

test('varints longer than 10 bytes or beyond 64 bits are refused', () => {
  assert.throws(() => readExactLong({ buf: Buffer.from([...Array<number>(10).fill(0xff), 0x01]), pos: 0 }), /longer than 10 bytes/);
  assert.throws(() => readExactLong({ buf: Buffer.from([...Array<number>(9).fill(0xff), 0x7f]), pos: 0 }), /beyond 64 bits/);
});

test('the exported schema keeps the timestamp-nanos logical type and the canonical form drops it', () => {
  assert.deepEqual(nanosType.schema({ exportAttrs: true }), {
    name: 'T',
    type: 'record',
    fields: [{ name: 'v', type: { type: 'long', logicalType: 'timestamp-nanos' } }],
  });
  assert.equal(JSON.stringify(nanosType.schema()), '{"name":"T","type":"record","fields":[{"name":"v","type":"long"}]}');
});
