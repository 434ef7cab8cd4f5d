// Turns one field value into its JSON text, chosen once per field by the field's kind.
import { stringifyExact } from '@sluice/schemas';
import type { FieldKind } from '@sluice/schemas';

export type TimestampFormat = 'unixnano' | 'unix' | 'rfc3339' | 'rfc3339ms' | 'rfc3339ns';

/** Encodes a present value; absent values (undefined or null) are rendered by the caller. */
export type ValueEncoder = (value: unknown) => string;

const NS_PER_SECOND = 1_000_000_000n;

function encodeNumber(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return JSON.stringify(value) ?? 'null';
}

function encodeBool(value: unknown): string {
  return value === true ? 'true' : value === false ? 'false' : (JSON.stringify(value) ?? 'null');
}

function encodeString(value: unknown): string {
  return JSON.stringify(typeof value === 'string' ? value : String(value));
}

/** Maps and arrays: JSON as is; a bigint element (an int beyond 2^53) stays an exact integer. */
const encodeStructured: ValueEncoder = stringifyExact;

function toNanos(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return BigInt(String(value));
}

function rfc3339(nanos: bigint, fractionDigits: 0 | 3 | 9): string {
  const seconds = nanos / NS_PER_SECOND;
  let fraction = nanos % NS_PER_SECOND;
  let wholeSeconds = seconds;
  if (fraction < 0n) {
    fraction += NS_PER_SECOND;
    wholeSeconds -= 1n;
  }
  const base = new Date(Number(wholeSeconds) * 1000).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `"${base}Z"`;
  const digits = fraction.toString().padStart(9, '0').slice(0, fractionDigits);
  return `"${base}.${digits}Z"`;
}

export function timestampEncoder(format: TimestampFormat): ValueEncoder {
  switch (format) {
    case 'unixnano':
      return (v) => toNanos(v).toString();
    case 'unix':
      return (v) => (toNanos(v) / NS_PER_SECOND).toString();
    case 'rfc3339':
      return (v) => rfc3339(toNanos(v), 0);
    case 'rfc3339ms':
      return (v) => rfc3339(toNanos(v), 3);
    case 'rfc3339ns':
      return (v) => rfc3339(toNanos(v), 9);
  }
}

export function valueEncoder(kind: FieldKind, timestampFormat: TimestampFormat): ValueEncoder {
  switch (kind) {
    case 'string':
      return encodeString;
    case 'int':
    case 'float':
      return encodeNumber;
    case 'bool':
      return encodeBool;
    case 'timestamp':
      return timestampEncoder(timestampFormat);
    case 'map':
    case 'float-map':
    case 'string[]':
    case 'int[]':
      return encodeStructured;
  }
}
