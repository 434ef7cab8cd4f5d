// CRC-64-AVRO, the Rabin fingerprint the Avro spec defines for schema fingerprints.

// The spec's EMPTY constant: the fingerprint of no bytes, also the polynomial.
const EMPTY = 0xc15d213aa4d7a795n;
const MASK_64 = 0xffffffffffffffffn;

// Only computed when schemas are registered, so plain bigint arithmetic is fast enough.
const TABLE: readonly bigint[] = Array.from({ length: 256 }, (_, index) => {
  let fp = BigInt(index);
  for (let bit = 0; bit < 8; bit++) {
    fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  }
  return fp & MASK_64;
});

/** The 64-bit Rabin fingerprint of some bytes, as an unsigned bigint. */
export function rabinFingerprint64(bytes: Uint8Array): bigint {
  let fp = EMPTY;
  for (const byte of bytes) {
    fp = (fp >> 8n) ^ (TABLE[Number((fp ^ BigInt(byte)) & 0xffn)] ?? 0n);
  }
  return fp;
}

/** The fingerprint of a schema's Parsing Canonical Form text (UTF-8), as the spec defines it. */
export function schemaFingerprint64(canonicalForm: string): bigint {
  return rabinFingerprint64(Buffer.from(canonicalForm, 'utf8'));
}
