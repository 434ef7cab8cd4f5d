// Turns one field value into its JSON text, chosen once per field by the field's kind.
import { stringifyExact } from '@sluice/schemas';
import type { FieldKind } from '@sluice/schemas';

export type TimestampFormat = 'unixnano' | 'unix' | 'rfc3339' | 'rfc3339ms' | 'rfc3339ns';

/** Encodes a present value; absent values (undefined or null) are rendered by the caller. */
export type ValueEncoder = (value: unknown) => string;

/** One output type's value text: an encoder per field kind, and what an absent value renders as. */
export interface ValueEncoding {
  readonly encoderFor: (kind: FieldKind, timestampFormat: TimestampFormat) => ValueEncoder;
  readonly absent: string;
}

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

/**
 * An RFC 3339 encoder with its own one-entry cache of the seconds part: records of a batch mostly
 * fall in the same second, and formatting a Date is the costly step.
 */
function rfc3339Encoder(fractionDigits: 0 | 3 | 9): ValueEncoder {
  let cachedSeconds: bigint | undefined;
  let cachedBase = '';
  return (value) => {
    const nanos = toNanos(value);
    let seconds = nanos / NS_PER_SECOND;
    let fraction = nanos % NS_PER_SECOND;
    if (fraction < 0n) {
      fraction += NS_PER_SECOND;
      seconds -= 1n;
    }
    if (seconds !== cachedSeconds) {
      cachedBase = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
      cachedSeconds = seconds;
    }
    if (fractionDigits === 0) return `"${cachedBase}Z"`;
    const digits = fraction.toString().padStart(9, '0').slice(0, fractionDigits);
    return `"${cachedBase}.${digits}Z"`;
  };
}

export function timestampEncoder(format: TimestampFormat): ValueEncoder {
  switch (format) {
    case 'unixnano':
      return (v) => toNanos(v).toString();
    case 'unix':
      return (v) => (toNanos(v) / NS_PER_SECOND).toString();
    case 'rfc3339':
      return rfc3339Encoder(0);
    case 'rfc3339ms':
      return rfc3339Encoder(3);
    case 'rfc3339ns':
      return rfc3339Encoder(9);
  }
}

/** How one output type writes each family of values; timestamps are shared by every type. */
export interface KindEncoders {
  string: ValueEncoder;
  number: ValueEncoder;
  bool: ValueEncoder;
  /** Maps and arrays. */
  structured: ValueEncoder;
}

/** Picks the encoder for a field kind, once per field when a renderer is built. */
export function encoderForKind(kind: FieldKind, encoders: KindEncoders, timestampFormat: TimestampFormat): ValueEncoder {
  switch (kind) {
    case 'string':
      return encoders.string;
    case 'int':
    case 'float':
      return encoders.number;
    case 'bool':
      return encoders.bool;
    case 'timestamp':
      return timestampEncoder(timestampFormat);
    case 'map':
    case 'float-map':
    case 'string[]':
    case 'int[]':
      return encoders.structured;
  }
}

const JSON_KIND_ENCODERS: KindEncoders = { string: encodeString, number: encodeNumber, bool: encodeBool, structured: encodeStructured };

export function valueEncoder(kind: FieldKind, timestampFormat: TimestampFormat): ValueEncoder {
  return encoderForKind(kind, JSON_KIND_ENCODERS, timestampFormat);
}

/** NDJSON (and NDJSON templates): JSON values, absent as `null` so every line has the same keys. */
export const JSON_VALUES: ValueEncoding = { encoderFor: valueEncoder, absent: 'null' };
