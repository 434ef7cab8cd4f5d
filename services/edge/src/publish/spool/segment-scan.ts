// Walks the entries of a segment's bytes, telling intact entries from damage and a torn tail; pure, shared by recovery and replay.
import { checkEntryAt, ENTRY_MAGIC_0, ENTRY_MAGIC_1 } from './entry-format.js';

export interface ScannedEntry {
  readonly offset: number;
  readonly size: number;
}

/** Bytes that hold no intact entry, with intact entries after them: skipped, and reported. */
export interface SkippedRegion {
  readonly offset: number;
  readonly bytes: number;
}

export type ScanEnd =
  /** The entries run to the end of the bytes. */
  | { readonly kind: 'clean' }
  /** The last entry was cut off (or the tail is zeros, as a file system may leave after a crash): truncate at `offset`. */
  | { readonly kind: 'torn'; readonly offset: number }
  /** From `offset` on, no intact entry can be found: the rest has to be moved aside. */
  | { readonly kind: 'unreadable'; readonly offset: number };

export interface SegmentScan {
  readonly entries: readonly ScannedEntry[];
  readonly skipped: readonly SkippedRegion[];
  readonly end: ScanEnd;
}

/**
 * Scans `buffer` from `from`. Damage is skipped when an intact entry follows it (found by its magic
 * bytes and checksum), so one bad entry costs only itself; when nothing intact follows, the scan
 * stops there. An entry cut off at the very end is a write that a crash interrupted, not damage.
 */
export function scanSegment(buffer: Buffer, from = 0): SegmentScan {
  const entries: ScannedEntry[] = [];
  const skipped: SkippedRegion[] = [];
  let offset = from;
  while (offset < buffer.length) {
    const check = checkEntryAt(buffer, offset);
    if (check.kind === 'entry') {
      entries.push({ offset, size: check.size });
      offset += check.size;
      continue;
    }
    const next = nextIntactEntry(buffer, offset + 1);
    if (next === undefined) {
      const torn = check.kind === 'short' || isZeros(buffer, offset);
      return { entries, skipped, end: torn ? { kind: 'torn', offset } : { kind: 'unreadable', offset } };
    }
    // Even a "short" entry is damage here: its length field points past entries that are intact.
    skipped.push({ offset, bytes: next - offset });
    offset = next;
  }
  return { entries, skipped, end: { kind: 'clean' } };
}

/** The offset of the first intact entry at or after `from`, if any. */
export function nextIntactEntry(buffer: Buffer, from: number): number | undefined {
  for (let at = buffer.indexOf(ENTRY_MAGIC_0, from); at !== -1; at = buffer.indexOf(ENTRY_MAGIC_0, at + 1)) {
    if (buffer[at + 1] === ENTRY_MAGIC_1 && checkEntryAt(buffer, at).kind === 'entry') return at;
  }
  return undefined;
}

function isZeros(buffer: Buffer, from: number): boolean {
  for (let i = from; i < buffer.length; i++) if (buffer[i] !== 0) return false;
  return true;
}
