// avsc long types that keep 64-bit integers exact: numbers when safe, bigints beyond, timestamps always bigint.
import avro from 'avsc';
import type { Type } from 'avsc';

/** Where a long is read from: avsc's (undeclared) `Tap`, or our own body reader. */
export interface LongCursor {
  buf: Buffer;
  pos: number;
}

/** The part of avsc's `Tap` these types use. */
interface Tap extends LongCursor {
  writeLong(value: number): void;
}

/** The part of avsc's (undeclared) `Resolver` these types use. */
interface Resolver {
  _read?: (tap: Tap) => unknown;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** True for values a `long` can carry exactly: safe-integer numbers and int64 bigints. */
export function isExactLong(value: unknown): value is number | bigint {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX;
}

/** A bigint as a number when that is exact, else unchanged. */
export function narrowBigInt(value: bigint): number | bigint {
  return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value;
}

/**
 * Reads a zigzag varint exactly. Up to 7 bytes (49 bits) accumulate in a double, which is
 * exact; longer ones (all current nanosecond timestamps) finish in bigint arithmetic.
 */
export function readExactLong(tap: LongCursor): number | bigint {
  const buf = tap.buf;
  let pos = tap.pos;
  let byte = buf[pos++] ?? 0;
  let value = byte & 0x7f;
  let scale = 128;
  for (let count = 1; byte & 0x80; count++) {
    if (count === 7) return readLongTail(tap, pos, value);
    byte = buf[pos++] ?? 0;
    value += (byte & 0x7f) * scale;
    scale *= 128;
  }
  tap.pos = pos;
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

function readLongTail(tap: LongCursor, start: number, low49: number): number | bigint {
  const buf = tap.buf;
  let pos = start;
  let zigzag = BigInt(low49);
  let shift = 49n;
  let byte: number;
  do {
    if (shift > 63n) throw new Error('long varint longer than 10 bytes');
    byte = buf[pos++] ?? 0;
    zigzag |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte & 0x80);
  tap.pos = pos;
  if (zigzag >> 64n !== 0n) throw new Error('long varint beyond 64 bits');
  return narrowBigInt((zigzag & 1n) === 0n ? zigzag >> 1n : -((zigzag + 1n) >> 1n));
}

// avsc's writeLong computes the zigzag value in doubles: -n * 2 - 1 rounds once it passes 2^53,
// i.e. for negative numbers beyond -2^52. Numbers from there on take the bigint route.
const DOUBLE_ZIGZAG_LIMIT = 2 ** 52;

function writeExactLong(tap: Tap, value: number | bigint): void {
  if (typeof value === 'number') {
    if (value > -DOUBLE_ZIGZAG_LIMIT && value < DOUBLE_ZIGZAG_LIMIT) {
      tap.writeLong(value);
      return;
    }
    value = BigInt(value);
  }
  let zigzag = value >= 0n ? value << 1n : (-value << 1n) - 1n;
  const buf = tap.buf;
  // Like avsc's own writers, write past the end harmlessly and let the caller see pos > length.
  while (zigzag >= 0x80n) {
    buf[tap.pos++] = Number(zigzag & 0x7fn) | 0x80;
    zigzag >>= 7n;
  }
  buf[tap.pos++] = Number(zigzag);
}

/**
 * avsc's `long`, made exact. Subclassing keeps avsc's skip/match code; the type name
 * `abstract:long` makes unions test values with `_check` rather than by `typeof`, which is what
 * lets bigints through (the same route avsc's own `LongType.__with` takes, minus its per-value
 * buffer allocations).
 */
class ExactLongType extends avro.types.LongType {
  _check(value: unknown, _flags: unknown, hook?: (value: unknown, type: Type) => void): boolean {
    const valid = isExactLong(value);
    if (!valid && hook) hook(value, this);
    return valid;
  }

  _read(tap: Tap): unknown {
    return readExactLong(tap);
  }

  _write(tap: Tap, value: unknown): void {
    if (!isExactLong(value)) throw new Error(`invalid long: ${String(value)}`);
    writeExactLong(tap, value);
  }

  _copy(value: unknown): unknown {
    return value;
  }

  _deref(): unknown {
    return 'long';
  }

  _update(resolver: Resolver, writer: Type): void {
    if (writer.typeName === 'int' || writer.typeName === 'long' || writer.typeName === 'abstract:long') {
      resolver._read = (tap: Tap) => this._read(tap);
    }
  }
}
Object.defineProperty(ExactLongType.prototype, 'typeName', { value: 'abstract:long' });
Object.defineProperty(ExactLongType.prototype, '_concreteTypeName', { value: 'long' });

/** `{"type":"long","logicalType":"timestamp-nanos"}`: nanoseconds, always read as a bigint. */
class TimestampNanosType extends ExactLongType {
  override _read(tap: Tap): unknown {
    const value = readExactLong(tap);
    return typeof value === 'bigint' ? value : BigInt(value);
  }

  override _deref(_schema?: unknown, opts?: { exportAttrs?: boolean }): unknown {
    return opts?.exportAttrs === true ? { type: 'long', logicalType: 'timestamp-nanos' } : 'long';
  }
}

function isTimestampNanos(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const { type, logicalType } = schema as { type?: unknown; logicalType?: unknown };
  return type === 'long' && logicalType === 'timestamp-nanos';
}

/** An avsc type for one of our schemas, with exact longs and nanosecond timestamps. */
export function createAvscType(schema: object): Type {
  const timestampType = new TimestampNanosType();
  return avro.Type.forSchema(schema as Parameters<typeof avro.Type.forSchema>[0], {
    registry: { long: new ExactLongType() },
    typeHook: (candidate) => (isTimestampNanos(candidate) ? timestampType : undefined),
    omitRecordMethods: true,
  });
}
