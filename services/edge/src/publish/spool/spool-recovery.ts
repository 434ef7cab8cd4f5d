// Opens a spool directory after any kind of stop: truncates torn tails, skips or moves aside damage, and finds the head.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@sluice/logging';
import { HEAD_FILE, positionKey, readHead } from './head-file.js';
import type { SpoolHead, SpoolPosition } from './head-file.js';
import { corruptName, listSpool, removeFile, segmentName, writeFileAtomically } from './segment-files.js';
import { scanSegment } from './segment-scan.js';
import type { ScannedEntry } from './segment-scan.js';

export interface RecoveredSegment {
  readonly id: number;
  /** Bytes on disk after recovery. */
  readonly size: number;
  /** Entries not yet acknowledged. */
  readonly liveEntries: number;
}

/** What recovery had to give up; every one of these is also logged with the segment and offset. */
export interface SpoolDamage {
  /** Stretches of bytes without an intact entry, skipped or moved aside (each held at least one record). */
  corruptRegions: number;
  corruptBytes: number;
  /** Bytes of entries cut off by a crash while they were being written. */
  truncatedBytes: number;
}

export interface SpoolRecovery {
  readonly segments: readonly RecoveredSegment[];
  readonly head: SpoolHead;
  /** The largest segment id in use or named by the head; new segments are numbered above it. */
  readonly highestId: number;
  readonly damage: SpoolDamage;
}

export async function recoverSpool(dir: string, logger: Logger): Promise<SpoolRecovery> {
  await mkdir(dir, { recursive: true });
  const listing = await listSpool(dir);
  const damage: SpoolDamage = { corruptRegions: 0, corruptBytes: 0, truncatedBytes: 0 };
  // A temporary file that never reached its rename was never part of the spool.
  for (const name of listing.temporaryFiles) await removeFile(dir, name);

  const head = await recoverHead(dir, logger);
  const ids = new Set(listing.segments);
  for (const id of listing.temporarySegments) {
    // A segment written ahead of the head (the batch that was in flight when the spool took over)
    // whose rename a crash prevented: its entries are still unacknowledged, so finish the rename;
    // the scan below truncates whatever the crash cut off.
    if (!ids.has(id) && id > head.position.segment) {
      await rename(join(dir, `${segmentName(id)}.tmp`), join(dir, segmentName(id)));
      ids.add(id);
      logger.warn({ segment: segmentName(id) }, 'spool: completed a segment write that a stop interrupted');
    } else {
      await removeFile(dir, `${segmentName(id)}.tmp`);
    }
  }

  const segments: RecoveredSegment[] = [];
  const acked = new Set(head.acked.map(positionKey));
  const keptAcked: SpoolPosition[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const name = segmentName(id);
    if (id < head.position.segment) {
      // Fully acknowledged; a stop came between writing the head and deleting the segment.
      await removeFile(dir, name);
      continue;
    }
    const bytes = await readFile(join(dir, name));
    // Bytes past the end can only mean an acknowledged tail that a power cut took back; nothing is owed.
    const from = id === head.position.segment ? Math.min(head.position.offset, bytes.length) : 0;
    const { entries, size } = await recoverSegment(dir, name, bytes, from, damage, logger);
    let liveEntries = 0;
    for (const entry of entries) {
      const position = { segment: id, offset: entry.offset };
      if (acked.has(positionKey(position))) keptAcked.push(position);
      else liveEntries++;
    }
    segments.push({ id, size, liveEntries });
  }
  const highestId = Math.max(head.position.segment, ...segments.map((s) => s.id));
  return { segments, head: { position: head.position, acked: keptAcked }, highestId, damage };
}

async function recoverHead(dir: string, logger: Logger): Promise<SpoolHead> {
  const read = await readHead(dir);
  if (read.kind === 'read') return read.head;
  const start: SpoolHead = { position: { segment: 0, offset: 0 }, acked: [] };
  if (read.kind === 'invalid') {
    const aside = await corruptName(dir, HEAD_FILE);
    await rename(join(dir, HEAD_FILE), join(dir, aside)).catch(() => undefined);
    // Losing the head loses only where replay stands: start from the oldest entry (a resend, never a loss).
    logger.error({ file: HEAD_FILE, problem: read.problem, movedTo: aside }, 'spool: head file unusable; replaying every segment from its start, so some records may be sent twice');
    await writeFileAtomically(dir, HEAD_FILE, `${JSON.stringify({ version: 1, segment: 0, offset: 0, acked: [] })}\n`);
  }
  return start;
}

/** Scans one segment from `from`, repairs its end on disk, and returns its intact entries and its new size. */
async function recoverSegment(
  dir: string,
  name: string,
  bytes: Buffer,
  from: number,
  damage: SpoolDamage,
  logger: Logger,
): Promise<{ entries: readonly ScannedEntry[]; size: number }> {
  const scan = scanSegment(bytes, from);
  for (const region of scan.skipped) {
    damage.corruptRegions++;
    damage.corruptBytes += region.bytes;
    logger.error({ segment: name, offset: region.offset, bytes: region.bytes, corruptRegions: damage.corruptRegions }, 'spool: skipped damaged bytes (checksum or header mismatch); the records in them are lost');
  }
  if (scan.end.kind === 'torn') {
    const lost = bytes.length - scan.end.offset;
    damage.truncatedBytes += lost;
    await truncate(join(dir, name), scan.end.offset);
    logger.warn({ segment: name, offset: scan.end.offset, bytes: lost, truncatedBytes: damage.truncatedBytes }, 'spool: truncated an entry that a stop cut off while it was being written');
  } else if (scan.end.kind === 'unreadable') {
    const lost = bytes.length - scan.end.offset;
    const aside = await corruptName(dir, name);
    await writeFileAtomically(dir, aside, bytes.subarray(scan.end.offset));
    await truncate(join(dir, name), scan.end.offset);
    damage.corruptRegions++;
    damage.corruptBytes += lost;
    logger.error(
      { segment: name, offset: scan.end.offset, bytes: lost, movedTo: aside, corruptRegions: damage.corruptRegions },
      'spool: no intact entry after a damaged one; moved the rest of the segment aside, and the records in it are lost',
    );
  }
  return { entries: scan.entries, size: scan.end.kind === 'clean' ? bytes.length : scan.end.offset };
}

async function truncate(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

