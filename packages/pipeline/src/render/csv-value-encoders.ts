// Turns one field value into its CSV text (RFC 4180), chosen once per field by the field's kind.
// The rules, and why they are these, are in the header of csv-renderer.ts.
import { stringifyExact } from '@sluice/schemas';
import type { FieldKind } from '@sluice/schemas';
import { encoderForKind } from './value-encoders.js';
import type { KindEncoders, TimestampFormat, ValueEncoder, ValueEncoding } from './value-encoders.js';

/** `text` as an RFC 4180 quoted field; the indexOf check keeps the common no-quote case a single concatenation. */
export function quoteCsv(text: string): string {
  return text.indexOf('"') === -1 ? `"${text}"` : `"${text.replaceAll('"', '""')}"`;
}

function encodeString(value: unknown): string {
  return quoteCsv(typeof value === 'string' ? value : String(value));
}

function encodeNumber(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return encodeString(value);
}

function encodeBool(value: unknown): string {
  return value === true ? 'true' : value === false ? 'false' : encodeString(value);
}

function encodeStructured(value: unknown): string {
  return quoteCsv(stringifyExact(value));
}

// Timestamps use the JSON encoders: their text is already valid CSV (a bare integer, or a quoted
// string with no `"` inside).
const CSV_KIND_ENCODERS: KindEncoders = { string: encodeString, number: encodeNumber, bool: encodeBool, structured: encodeStructured };

export function csvValueEncoder(kind: FieldKind, timestampFormat: TimestampFormat): ValueEncoder {
  return encoderForKind(kind, CSV_KIND_ENCODERS, timestampFormat);
}

/** CSV (and CSV templates): absent values are empty fields. */
export const CSV_VALUES: ValueEncoding = { encoderFor: csvValueEncoder, absent: '' };
