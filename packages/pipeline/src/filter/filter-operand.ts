// Turns a value written in a filter into the value records are compared with, or says it cannot.
import type { FieldKind } from '@sluice/schemas';
import { parseRfc3339Nanos } from '@sluice/schemas';

/** The kind of one compared value: arrays compare element-wise, maps never. */
export type OperandKind = 'string' | 'int' | 'float' | 'bool' | 'timestamp';

/** What may be written for each operand kind, for error messages. */
export const EXPECTED: Readonly<Record<OperandKind, string>> = {
  string: 'a string',
  int: 'an integer in the 64-bit range, as a JSON number or a numeric string such as "30"',
  float: 'a number, as a JSON number or a numeric string such as "0.5"',
  bool: 'true or false',
  timestamp: 'nanoseconds since the epoch (an integer or a numeric string) or an RFC 3339 date-time such as "2024-05-01T00:00:00Z"',
};

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The operand kind of a field: its own kind, its element kind for arrays, none for maps. */
export function operandKind(kind: FieldKind): OperandKind | undefined {
  if (kind === 'string[]') return 'string';
  if (kind === 'int[]') return 'int';
  if (kind === 'map' || kind === 'float-map') return undefined;
  return kind;
}

export function isNumeric(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/**
 * One representation per mathematical value, so that `===` and Set membership work across
 * number and bigint (where `1 === 1n` is false): safe integers and non-integers as numbers,
 * integers beyond ±(2^53 − 1) as bigints. Records carry ints either way (see DatasetRecord).
 */
export function canonicalNumber(value: number | bigint): number | bigint {
  if (typeof value === 'bigint') return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
  return Number.isInteger(value) && !Number.isSafeInteger(value) ? BigInt(value) : value;
}

function int64(value: bigint): number | bigint | undefined {
  return value >= INT64_MIN && value <= INT64_MAX ? canonicalNumber(value) : undefined;
}

function toInt(value: unknown): number | bigint | undefined {
  // Unsafe doubles (e.g. 9007199254740993.0, which JSON.parse rounds) are refused rather than
  // compared wrongly; long integer literals arrive as exact bigints (see parseExactJson in @sluice/schemas).
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'bigint') return int64(value);
  return typeof value === 'string' && INTEGER_TEXT.test(value) ? int64(BigInt(value)) : undefined;
}

function toFloat(value: unknown): number | bigint | undefined {
  // Float fields hold doubles, so a float operand is the double nearest to what was written: a
  // literal like 1152921504606847000 (how JavaScript prints 2^60) means 2^60, not itself exactly.
  let number: number;
  if (typeof value === 'number' || typeof value === 'bigint') number = Number(value);
  else if (typeof value === 'string' && DECIMAL_TEXT.test(value)) number = Number(value);
  else return undefined;
  return Number.isFinite(number) ? canonicalNumber(number) : undefined;
}

function toTimestamp(value: unknown): number | bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'bigint') return int64(value);
  if (typeof value !== 'string') return undefined;
  const nanos = INTEGER_TEXT.test(value) ? BigInt(value) : parseRfc3339Nanos(value);
  return nanos === undefined ? undefined : int64(nanos);
}

function toBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** A numeric operand in canonical form (see canonicalNumber), or undefined when not one. */
export function toNumericOperand(kind: 'int' | 'float' | 'timestamp', value: unknown): number | bigint | undefined {
  return kind === 'int' ? toInt(value) : kind === 'float' ? toFloat(value) : toTimestamp(value);
}

/**
 * The compared value for an operand kind, or undefined when `value` is not allowed there.
 * Numbers come back canonical; strings are never coerced (a string field compares strings only).
 */
export function toOperand(kind: OperandKind, value: unknown): string | number | bigint | boolean | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'bool':
      return toBool(value);
    default:
      return toNumericOperand(kind, value);
  }
}
