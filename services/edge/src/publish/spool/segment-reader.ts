// Reads the next batch of unacknowledged entries from the head, across segment ends, skipping acknowledged entries and damage.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { PublishedMessage } from '../published-message.js';
import { checkEntryAt, decodeEntry, ENTRY_HEADER_BYTES } from './entry-format.js';
import { positionKey } from './head-file.js';
import type { SpoolPosition } from './head-file.js';
import { segmentName } from './segment-files.js';
import { nextIntactEntry } from './segment-scan.js';

export interface SpoolEntry {
  readonly message: PublishedMessage;
  readonly position: SpoolPosition;
}

export interface SpoolBatch {
  /** Oldest first. */
  readonly entries: readonly SpoolEntry[];
  /** Where the head moves once every entry is acknowledged. */
  readonly end: SpoolPosition;
}

export interface ReadableSegment {
  readonly id: number;
  /** Bytes written; nothing past this is read. */
  readonly size: number;
}

export interface SegmentBatchRead {
  /** Ascending ids. */
  readonly segments: readonly ReadableSegment[];
  readonly head: SpoolPosition;
  /** Entries after the head that are acknowledged already. */
  readonly acked: ReadonlyMap<string, SpoolPosition>;
  readonly maxRecords: number;
  /** How much to read at once (at least one entry header). */
  readonly chunkBytes: number;
  read(segment: ReadableSegment, offset: number, length: number): Promise<Buffer>;
  /** Bytes without an intact entry were skipped. */
  onDamage(segment: ReadableSegment, offset: number, bytes: number): void;
}

export async function readSegmentBatch(input: SegmentBatchRead): Promise<SpoolBatch> {
  const entries: SpoolEntry[] = [];
  let end = input.head;
  for (const segment of input.segments) {
    if (segment.id < input.head.segment) continue;
    if (entries.length >= input.maxRecords) break;
    let offset = segment.id === input.head.segment ? input.head.offset : 0;
    let want = input.chunkBytes;
    while (offset < segment.size && entries.length < input.maxRecords) {
      const chunk = await input.read(segment, offset, Math.min(want, segment.size - offset));
      want = input.chunkBytes;
      if (chunk.length === 0) {
        // The file is shorter than what was written to it: someone cut it. Nothing more can be read.
        input.onDamage(segment, offset, segment.size - offset);
        offset = segment.size;
        break;
      }
      let at = 0;
      let cutOff = false;
      while (at < chunk.length && entries.length < input.maxRecords) {
        const check = checkEntryAt(chunk, at);
        if (check.kind === 'entry') {
          const position = { segment: segment.id, offset: offset + at };
          if (!input.acked.has(positionKey(position))) {
            const message = decodeEntry(chunk, at, check.size);
            if (message === undefined) input.onDamage(segment, position.offset, check.size);
            else entries.push({ message, position });
          }
          at += check.size;
        } else if (check.kind === 'short' && offset + chunk.length < segment.size) {
          // The entry goes on past this chunk: the next read starts with it.
          cutOff = true;
          break;
        } else {
          // Recovery checked these bytes, or this process wrote them since: damage from below the file system.
          at += await skipDamage(input, segment, offset + at);
          break;
        }
      }
      // An entry larger than a whole chunk: read exactly that entry next.
      if (cutOff && at === 0) want = ENTRY_HEADER_BYTES + chunk.readUInt32LE(4);
      offset += at;
    }
    end = { segment: segment.id, offset };
  }
  return { entries, end };
}

async function skipDamage(input: SegmentBatchRead, segment: ReadableSegment, offset: number): Promise<number> {
  const rest = await input.read(segment, offset, segment.size - offset);
  const skip = nextIntactEntry(rest, 1) ?? rest.length;
  input.onDamage(segment, offset, skip);
  return Math.max(skip, 1);
}

/** Reads segment files, keeping the last one open: replay reads a segment front to back. */
export interface SegmentFileReader {
  /** Up to `length` bytes from `offset`; fewer only if the file is shorter. */
  read(segment: ReadableSegment, offset: number, length: number): Promise<Buffer>;
  /** Closes the file of segment `id` if it is the open one (before it is deleted). */
  forget(id: number): Promise<void>;
  close(): Promise<void>;
}

export function createSegmentFileReader(dir: string): SegmentFileReader {
  let current: { id: number; handle: FileHandle } | undefined;
  const forget = async (id?: number): Promise<void> => {
    if (current === undefined || (id !== undefined && current.id !== id)) return;
    const { handle } = current;
    current = undefined;
    await handle.close().catch(() => undefined);
  };
  return {
    async read(segment, offset, length) {
      if (current?.id !== segment.id) {
        await forget();
        current = { id: segment.id, handle: await open(join(dir, segmentName(segment.id)), 'r') };
      }
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await current.handle.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    forget,
    close: () => forget(),
  };
}
