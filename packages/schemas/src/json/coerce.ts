// Checks one parsed JSON value against a field kind and converts it to the in-memory representation.
import type { FieldKind } from '../datasets/field-kind.js';
import { isExactLong, narrowBigInt } from '../avro/exact-long.js';
import { isHexId } from '../scope.js';
import { markedDigits } from './big-integers.js';
import { parseRfc3339Nanos } from './rfc3339.js';

/** Field kinds plus the scope ids, which must be 32 lowercase hex digits. */
export type JsonFieldKind = FieldKind | 'scope-id';

/** Returned instead of a value that does not fit the kind. */
export const INVALID: unique symbol = Symbol('invalid');

/** What a valid value of each kind looks like, for error messages. */
export const EXPECTED: Readonly<Record<JsonFieldKind, string>> = {
  string: 'a string',
  int: 'an integer in the 64-bit range',
  float: 'a number',
  bool: 'true or false',
  map: 'an object of strings',
  'float-map': 'an object of numbers',
  'string[]': 'an array of strings',
  'int[]': 'an array of integers',
  timestamp: 'integer nanoseconds, a numeric string or an RFC 3339 date-time, within the 64-bit range',
  'scope-id': 'a 32-digit lowercase hex id',
};

const DIGITS = /^-?\d+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A string the producer wrote as a string, not a long integer literal that was marked.
function isString(value: unknown): value is string {
  return typeof value === 'string' && markedDigits(value) === undefined;
}

function toInt(value: unknown): number | bigint | typeof INVALID {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : INVALID;
  const digits = markedDigits(value);
  if (digits === undefined) return INVALID;
  const big = BigInt(digits);
  return isExactLong(big) ? narrowBigInt(big) : INVALID;
}

function toFloat(value: unknown): number | typeof INVALID {
  if (typeof value === 'number') return value;
  const digits = markedDigits(value);
  return digits === undefined ? INVALID : Number(digits);
}

function toTimestamp(value: unknown): bigint | typeof INVALID {
  let nanos: bigint | undefined;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return INVALID;
    nanos = BigInt(value);
  } else if (typeof value === 'string') {
    const digits = markedDigits(value) ?? (DIGITS.test(value) ? value : undefined);
    nanos = digits === undefined ? parseRfc3339Nanos(value) : BigInt(digits);
  }
  return nanos !== undefined && isExactLong(nanos) ? nanos : INVALID;
}

/** Converts each element or value in place; INVALID when one does not convert. */
function convertAll<T>(items: unknown[] | Record<string, unknown>, convert: (item: unknown) => T | typeof INVALID): boolean {
  for (const key of Object.keys(items)) {
    const converted = convert((items as Record<string, unknown>)[key]);
    if (converted === INVALID) return false;
    (items as Record<string, unknown>)[key] = converted;
  }
  return true;
}

/**
 * The in-memory value for a parsed JSON value (see `DatasetRecord`), or INVALID. Objects and
 * arrays from JSON.parse are reused (converted in place), never copied.
 */
export function coerceJsonValue(kind: JsonFieldKind, value: unknown): unknown {
  switch (kind) {
    case 'string':
      return isString(value) ? value : INVALID;
    case 'scope-id':
      return isHexId(value) ? value : INVALID;
    case 'bool':
      return typeof value === 'boolean' ? value : INVALID;
    case 'int':
      return toInt(value);
    case 'float':
      return toFloat(value);
    case 'timestamp':
      return toTimestamp(value);
    case 'map':
      return isPlainObject(value) && Object.values(value).every(isString) ? value : INVALID;
    case 'float-map':
      return isPlainObject(value) && convertAll(value, toFloat) ? value : INVALID;
    case 'string[]':
      return Array.isArray(value) && value.every(isString) ? value : INVALID;
    case 'int[]':
      return Array.isArray(value) && convertAll(value, toInt) ? value : INVALID;
  }
}
