// The spool's on-disk entry: a 12-byte header (magic, version, length, CRC32) and a binary payload holding one message.
import { crc32 } from 'node:zlib';
import type { PublishedMessage } from '../published-message.js';

/*
 * Entry layout, little-endian:
 *   0  2  magic "SP" (0x53 0x50): where a scan looks for the next entry after damage
 *   2  1  format version (1)
 *   3  1  flags (0; reserved)
 *   4  4  payload length in bytes
 *   8  4  CRC32 of bytes 0..7 followed by the payload, so a damaged length is caught too
 *  12  …  payload
 * Payload: f64 timestampMs · u16 topic length, topic · u8 has-key (0/1)[, u32 key length, key] ·
 *          u16 header count, then per header u16 name length, name, u32 value length, value ·
 *          the value's bytes to the end of the payload. Strings are UTF-8.
 */
export const ENTRY_HEADER_BYTES = 12;
export const ENTRY_MAGIC_0 = 0x53;
export const ENTRY_MAGIC_1 = 0x50;
export const ENTRY_VERSION = 1;
/**
 * The largest payload the spool stores. Kafka refuses records over 1 MB by default, so this only
 * bounds how far a damaged length field can send a scan; larger messages are refused (and counted).
 */
export const MAX_ENTRY_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** The whole entry (header and payload) for one message. */
export function encodeEntry(message: PublishedMessage): Buffer {
  const topicBytes = Buffer.byteLength(message.topic);
  const keyBytes = message.key === undefined ? -1 : Buffer.byteLength(message.key);
  const headers = Object.entries(message.headers);
  let size = 8 + 2 + topicBytes + 1 + (keyBytes < 0 ? 0 : 4 + keyBytes) + 2 + message.value.length;
  for (const [name, value] of headers) size += 2 + Buffer.byteLength(name) + 4 + Buffer.byteLength(value);
  if (topicBytes > 0xffff || headers.length > 0xffff) throw new RangeError('topic name or header count too large for a spool entry');

  const entry = Buffer.allocUnsafe(ENTRY_HEADER_BYTES + size);
  let at = ENTRY_HEADER_BYTES;
  at = entry.writeDoubleLE(message.timestampMs, at);
  at = entry.writeUInt16LE(topicBytes, at);
  at += entry.write(message.topic, at);
  if (message.key === undefined) {
    at = entry.writeUInt8(0, at);
  } else {
    at = entry.writeUInt8(1, at);
    at = entry.writeUInt32LE(keyBytes, at);
    at += entry.write(message.key, at);
  }
  at = entry.writeUInt16LE(headers.length, at);
  for (const [name, value] of headers) {
    const nameBytes = Buffer.byteLength(name);
    if (nameBytes > 0xffff) throw new RangeError('header name too long for a spool entry');
    at = entry.writeUInt16LE(nameBytes, at);
    at += entry.write(name, at);
    at = entry.writeUInt32LE(Buffer.byteLength(value), at);
    at += entry.write(value, at);
  }
  message.value.copy(entry, at);

  entry[0] = ENTRY_MAGIC_0;
  entry[1] = ENTRY_MAGIC_1;
  entry[2] = ENTRY_VERSION;
  entry[3] = 0;
  entry.writeUInt32LE(size, 4);
  entry.writeUInt32LE(entryChecksum(entry, 0, size), 8);
  return entry;
}

function entryChecksum(buffer: Buffer, offset: number, payloadBytes: number): number {
  const start = offset + ENTRY_HEADER_BYTES;
  return crc32(buffer.subarray(start, start + payloadBytes), crc32(buffer.subarray(offset, offset + 8)));
}

export type EntryCheck =
  /** A whole, intact entry of `size` bytes (header included) starts here. */
  | { readonly kind: 'entry'; readonly size: number }
  /** What is here looks like the start of an entry, but the bytes end before it does. */
  | { readonly kind: 'short' }
  /** Not an intact entry: wrong magic, version or checksum, or an impossible length. */
  | { readonly kind: 'bad' };

const ENTRY_SHORT: EntryCheck = { kind: 'short' };
const ENTRY_BAD: EntryCheck = { kind: 'bad' };

/** Whether an intact entry starts at `offset` of `buffer` (which ends at `end`). */
export function checkEntryAt(buffer: Buffer, offset: number, end = buffer.length): EntryCheck {
  const available = end - offset;
  const fixed = [ENTRY_MAGIC_0, ENTRY_MAGIC_1, ENTRY_VERSION, 0];
  for (let i = 0; i < fixed.length && i < available; i++) if (buffer[offset + i] !== fixed[i]) return ENTRY_BAD;
  if (available < ENTRY_HEADER_BYTES) return ENTRY_SHORT;
  const payloadBytes = buffer.readUInt32LE(offset + 4);
  if (payloadBytes > MAX_ENTRY_PAYLOAD_BYTES) return ENTRY_BAD;
  if (available < ENTRY_HEADER_BYTES + payloadBytes) return ENTRY_SHORT;
  if (entryChecksum(buffer, offset, payloadBytes) !== buffer.readUInt32LE(offset + 8)) return ENTRY_BAD;
  return { kind: 'entry', size: ENTRY_HEADER_BYTES + payloadBytes };
}

/** The message in an intact entry; undefined when its payload does not parse (a bug or an old writer). */
export function decodeEntry(buffer: Buffer, offset: number, size: number): PublishedMessage | undefined {
  const end = offset + size;
  let at = offset + ENTRY_HEADER_BYTES;
  const need = (bytes: number): boolean => at + bytes <= end;
  try {
    if (!need(8 + 2)) return undefined;
    const timestampMs = buffer.readDoubleLE(at);
    const topicBytes = buffer.readUInt16LE(at + 8);
    at += 10;
    if (!need(topicBytes + 1)) return undefined;
    const topic = buffer.toString('utf8', at, at + topicBytes);
    at += topicBytes;
    let key: string | undefined;
    if (buffer[at++] === 1) {
      if (!need(4)) return undefined;
      const keyBytes = buffer.readUInt32LE(at);
      at += 4;
      if (!need(keyBytes)) return undefined;
      key = buffer.toString('utf8', at, at + keyBytes);
      at += keyBytes;
    }
    if (!need(2)) return undefined;
    const headerCount = buffer.readUInt16LE(at);
    at += 2;
    const headers: Record<string, string> = {};
    for (let i = 0; i < headerCount; i++) {
      if (!need(2)) return undefined;
      const nameBytes = buffer.readUInt16LE(at);
      at += 2;
      if (!need(nameBytes + 4)) return undefined;
      const name = buffer.toString('utf8', at, at + nameBytes);
      at += nameBytes;
      const valueBytes = buffer.readUInt32LE(at);
      at += 4;
      if (!need(valueBytes)) return undefined;
      // defineProperty: a header named __proto__ must stay a header, not become the prototype.
      Object.defineProperty(headers, name, { value: buffer.toString('utf8', at, at + valueBytes), enumerable: true, writable: true, configurable: true });
      at += valueBytes;
    }
    // A copy, so that a record waiting in memory does not pin the whole chunk it was read from.
    const value = Buffer.from(buffer.subarray(at, end));
    return key === undefined ? { topic, value, headers, timestampMs } : { topic, value, key, headers, timestampMs };
  } catch {
    return undefined;
  }
}
