// Avro single-object encoding: marker C3 01, the writer schema's 8-byte little-endian fingerprint, the body.
import type { Type } from 'avsc';
import { schemaFingerprint64 } from './rabin.js';

export const SINGLE_OBJECT_MARKER_0 = 0xc3;
export const SINGLE_OBJECT_MARKER_1 = 0x01;
/** Marker plus fingerprint. */
export const SINGLE_OBJECT_HEADER_BYTES = 10;

/**
 * The schema's Parsing Canonical Form. avsc's default schema export is exactly that: fully
 * qualified names, only the attributes that matter for parsing (no doc, default, logicalType),
 * keys in the spec's order, no whitespace.
 */
export function parsingCanonicalForm(type: Type): string {
  return JSON.stringify(type.schema());
}

/** The 10-byte single-object header for a writer schema. */
export function singleObjectHeader(type: Type): Buffer {
  const header = Buffer.alloc(SINGLE_OBJECT_HEADER_BYTES);
  header[0] = SINGLE_OBJECT_MARKER_0;
  header[1] = SINGLE_OBJECT_MARKER_1;
  header.writeBigUInt64LE(schemaFingerprint64(parsingCanonicalForm(type)), 2);
  return header;
}

/** True when the bytes start with the single-object marker. */
export function hasSingleObjectMarker(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === SINGLE_OBJECT_MARKER_0 && bytes[1] === SINGLE_OBJECT_MARKER_1;
}

/** A fingerprint as it appears in messages: 16 hex digits in wire (little-endian) byte order. */
export function fingerprintHex(bytes: Buffer, offset = 2): string {
  return bytes.toString('hex', offset, offset + 8);
}
