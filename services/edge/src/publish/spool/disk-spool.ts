// The crash-safe disk spool: append-only segments with group-committed writes, replay from a persisted head, deletion once replayed.
import type { Logger } from '@sluice/logging';
import type { PublishedMessage } from '../published-message.js';
import { createThrottledWarning } from '../throttled-warning.js';
import { encodeEntry, MAX_ENTRY_PAYLOAD_BYTES, ENTRY_HEADER_BYTES } from './entry-format.js';
import { positionKey, writeHead } from './head-file.js';
import type { SpoolPosition } from './head-file.js';
import { moveSegmentAside, removeFile, segmentName, writeSegmentAtomically } from './segment-files.js';
import { createSegmentWriter } from './segment-writer.js';
import type { SpoolSegment } from './segment-writer.js';
import { recoverSpool } from './spool-recovery.js';
import type { SpoolDamage } from './spool-recovery.js';
import { createSegmentFileReader, readSegmentBatch } from './segment-reader.js';
import type { SpoolBatch, SpoolEntry } from './segment-reader.js';

export type { SpoolBatch, SpoolEntry };

/*
 * Layout: `<dir>/<16-digit id>.seg` segment files, read in id order, and `<dir>/head.json`, the
 * position of the first unacknowledged entry (segments below it are acknowledged and deleted).
 * Guarantees:
 *  - An entry is acknowledged (the head moves past it, durably) only after Kafka acknowledged it.
 *  - Appends are written within one event-loop turn (group commit: every entry appended meanwhile
 *    goes out in one write) and fsync'd at least every `syncIntervalMs` while data flows, so a
 *    process crash loses nothing appended before the last write, and a power cut at most the last
 *    `syncIntervalMs`.
 *  - Recovery never refuses to open: a torn tail is truncated, damage is skipped or moved aside as
 *    `<segment>.corrupt` — each counted and logged with segment and offset. Nothing is lost silently.
 *  - When the spool empties, its segments are deleted and the next entry starts a new segment two
 *    ids higher. The free id below it is where `prepend` puts the batch that was in flight when
 *    the spool took over, so that batch replays first, even after a crash (its rename is the commit).
 */

export interface DiskSpoolOptions {
  readonly dir: string;
  /** Bytes on disk the spool may use; an entry that would exceed it is refused. */
  readonly maxBytes: number;
  /** A segment is closed and a new one started when the next entry would make it larger. */
  readonly segmentMaxBytes: number;
  /** Longest time written entries go without an fsync while data flows. */
  readonly syncIntervalMs: number;
  readonly logger: Logger;
  readonly now: () => number;
}

export type AppendResult = 'spooled' | 'full' | 'too-large' | 'closed';

export interface SpoolStats extends Readonly<SpoolDamage> {
  /** Bytes on disk now, including entries not yet written out. */
  readonly bytes: number;
  /** Entries not yet acknowledged. */
  readonly records: number;
  /** Entries lost because a write failed (disk full, I/O error). */
  readonly writeFailedRecords: number;
  /** Entries that sat in damaged stretches found during replay. */
  readonly damagedRecords: number;
}

export interface DiskSpool {
  /**
   * Synchronous: queues the entry for the next group write. `beyondCap` admits it even over
   * `maxBytes` (for records accepted earlier, e.g. the batch that was in flight when Kafka failed).
   */
  append(message: PublishedMessage, beyondCap?: boolean): AppendResult;
  /**
   * Puts messages ahead of every unacknowledged entry, beyond the size cap (they are the one batch
   * that was in flight when the spool took over). Resolves once they are durable; returns how many
   * were refused as too large to store.
   */
  prepend(messages: readonly PublishedMessage[]): Promise<number>;
  /** Up to `maxRecords` entries from the head; empty when there is nothing to replay. */
  readBatch(maxRecords: number): Promise<SpoolBatch>;
  /** Marks entries of `batch` acknowledged; once all are, the head moves to `batch.end` (persisted). Never rejects. */
  acknowledge(batch: SpoolBatch, entries: readonly SpoolEntry[]): Promise<void>;
  /** Nothing left to replay, written or not. */
  isEmpty(): boolean;
  stats(): SpoolStats;
  /** Writes and fsyncs everything appended so far. */
  flush(): Promise<void>;
  /** Flushes and closes the files; later calls do nothing. */
  close(): Promise<void>;
}

const READ_CHUNK_BYTES = 1024 * 1024;

export async function openDiskSpool(options: DiskSpoolOptions): Promise<DiskSpool> {
  const { dir, logger, now } = options;
  const recovered = await recoverSpool(dir, logger);
  const damage: SpoolDamage = { ...recovered.damage };
  const segments: SpoolSegment[] = recovered.segments.map((s) => ({ id: s.id, size: s.size, live: s.liveEntries, damaged: false }));
  let head: SpoolPosition = recovered.head.position;
  const acked = new Map(recovered.head.acked.map((p) => [positionKey(p), p]));
  let highestId = recovered.highestId;
  let bytes = segments.reduce((sum, s) => sum + s.size, 0);
  let records = segments.reduce((sum, s) => sum + s.live, 0);
  let writeFailedRecords = 0;
  let damagedRecords = 0;

  let pending: Buffer[] = [];
  /** Entries handed to `prepend` whose segment is not written yet. */
  let prepending = 0;
  let writeScheduled = false;
  let headUnsaved = false;
  const reader = createSegmentFileReader(dir);
  let closed = false;
  let closing: Promise<void> | undefined;
  const batchAcks = new WeakMap<SpoolBatch, Set<SpoolEntry>>();
  const writeFailures = createThrottledWarning({ logger, now, field: 'lostRecords', message: 'spool: a write failed; the records in it are lost' });

  // Every file operation runs in this one chain: no write races a read, a seal or a delete.
  let chain: Promise<void> = Promise.resolve();
  function enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = chain.then(operation);
    chain = result.then(
      () => undefined,
      (error: unknown) => logger.error({ err: error }, 'spool: file operation failed'),
    );
    return result;
  }
  /** Operations asked for after `close` do nothing; those asked for before it still run. */
  function serial<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
    return closed ? Promise.resolve(fallback) : enqueue(operation);
  }

  const writer = createSegmentWriter({ dir, syncIntervalMs: options.syncIntervalMs, now, logger, defer: (operation) => void serial(operation, undefined) });
  const segmentById = (id: number): SpoolSegment | undefined => segments.find((s) => s.id === id);

  /** Whether any written entry lies at or after the head. */
  function hasUnreadWritten(): boolean {
    return segments.some((s) => (s.id > head.segment && s.size > 0) || (s.id === head.segment && s.size > head.offset));
  }

  function scheduleWrite(): void {
    if (writeScheduled) return;
    writeScheduled = true;
    // One turn of the event loop collects every append of that turn into one write.
    setImmediate(() => {
      writeScheduled = false;
      void serial(writePending, undefined);
    });
  }

  async function writePending(): Promise<void> {
    while (pending.length > 0) {
      const entries = pending;
      pending = [];
      if (writer.current === undefined || !hasUnreadWritten()) {
        const empty = !hasUnreadWritten();
        if (empty) await releaseSegments(() => true);
        // Two ids up when the spool was empty: the id in between is kept free for `prepend`.
        if (!(await startSegment(highestId + (empty ? 2 : 1)))) {
          lose(entries, 'cannot create a segment');
          continue;
        }
      }
      let chunk: Buffer[] = [];
      let chunkBytes = 0;
      for (const [i, entry] of entries.entries()) {
        const size = (writer.current?.size ?? 0) + chunkBytes;
        if (size > 0 && size + entry.length > options.segmentMaxBytes) {
          lose(chunk, await writer.write(chunk, chunkBytes));
          chunk = [];
          chunkBytes = 0;
          await writer.seal();
          if (!(await startSegment(highestId + 1))) {
            lose(entries.slice(i), 'cannot create a segment');
            break;
          }
        }
        chunk.push(entry);
        chunkBytes += entry.length;
      }
      lose(chunk, await writer.write(chunk, chunkBytes));
    }
  }

  async function startSegment(id: number): Promise<boolean> {
    const segment: SpoolSegment = { id, size: 0, live: 0, damaged: false };
    if (!(await writer.open(segment))) return false;
    segments.push(segment);
    highestId = id;
    return true;
  }

  /** Accounts for entries a failed write (`reason` set) did not store. */
  function lose(entries: readonly Buffer[], reason: string | undefined): void {
    if (reason === undefined || entries.length === 0) return;
    records -= entries.length;
    bytes -= entries.reduce((sum, e) => sum + e.length, 0);
    writeFailedRecords += entries.length;
    writeFailures.add(entries.length, { reason });
  }

  /** Deletes the segments `which` selects (they hold nothing unacknowledged), or moves damaged ones aside. */
  async function releaseSegments(which: (segment: SpoolSegment) => boolean): Promise<void> {
    for (const segment of segments.filter(which)) {
      if (writer.current === segment) await writer.seal();
      await reader.forget(segment.id);
      segments.splice(segments.indexOf(segment), 1);
      bytes -= segment.size;
      records -= segment.live;
      const name = segmentName(segment.id);
      try {
        if (segment.damaged) {
          damagedRecords += segment.live;
          const aside = await moveSegmentAside(dir, name);
          logger.error({ segment: name, movedTo: aside, lostRecords: segment.live, damagedRecords }, 'spool: replayed a damaged segment; kept it aside');
        } else {
          await removeFile(dir, name);
        }
      } catch (error) {
        logger.error({ err: error, segment: name }, 'spool: cannot delete a replayed segment');
      }
    }
  }

  async function saveHead(): Promise<void> {
    try {
      await writeHead(dir, { position: head, acked: [...acked.values()] });
      headUnsaved = false;
    } catch (error) {
      // The head in memory is right; a restart before the next successful save resends (never loses).
      headUnsaved = true;
      logger.error({ err: error }, 'spool: cannot save the head; a restart may resend acknowledged records');
    }
  }

  async function advanceHead(to: SpoolPosition): Promise<void> {
    head = to;
    for (const [key, position] of acked) {
      if (position.segment < head.segment || (position.segment === head.segment && position.offset < head.offset)) acked.delete(key);
    }
    await saveHead();
    if (headUnsaved) return;
    const caughtUp = !hasUnreadWritten();
    await releaseSegments((s) => caughtUp || s.id < head.segment);
  }

  async function acknowledgeNow(batch: SpoolBatch, entries: readonly SpoolEntry[]): Promise<void> {
    let done = batchAcks.get(batch);
    if (done === undefined) batchAcks.set(batch, (done = new Set()));
    for (const entry of entries) {
      if (done.has(entry)) continue;
      done.add(entry);
      records--;
      const segment = segmentById(entry.position.segment);
      if (segment) segment.live--;
    }
    if (done.size >= batch.entries.length) return advanceHead(batch.end);
    for (const entry of entries) acked.set(positionKey(entry.position), entry.position);
    return saveHead();
  }

  async function finalFlush(): Promise<void> {
    writer.stop();
    await writePending();
    await writer.seal();
    if (headUnsaved) await saveHead();
    await reader.close();
  }

  function encode(message: PublishedMessage): Buffer | undefined {
    try {
      const entry = encodeEntry(message);
      return entry.length - ENTRY_HEADER_BYTES > MAX_ENTRY_PAYLOAD_BYTES ? undefined : entry;
    } catch {
      return undefined;
    }
  }

  return {
    append(message, beyondCap = false) {
      if (closed) return 'closed';
      const entry = encode(message);
      if (entry === undefined) return 'too-large';
      if (!beyondCap && bytes + entry.length > options.maxBytes) return 'full';
      pending.push(entry);
      bytes += entry.length;
      records++;
      scheduleWrite();
      return 'spooled';
    },

    prepend(messages) {
      const entries: Buffer[] = [];
      for (const message of messages) {
        const entry = encode(message);
        if (entry !== undefined) entries.push(entry);
      }
      const refused = messages.length - entries.length;
      if (entries.length === 0) return Promise.resolve(refused);
      if (closed) {
        lose(entries, 'spool closed');
        return Promise.resolve(refused);
      }
      bytes += entries.reduce((sum, e) => sum + e.length, 0);
      records += entries.length;
      prepending += entries.length;
      return enqueue(async () => {
        prepending -= entries.length;
        await writePending();
        const first = segments.find((s) => (s.id > head.segment && s.size > 0) || (s.id === head.segment && s.size > head.offset));
        const slot = first === undefined ? undefined : first.id - 1;
        if (slot === undefined || slot <= head.segment || segmentById(slot) !== undefined) {
          // Nothing to go ahead of (or, from a caller's bug, no room ahead): an append keeps them.
          if (first !== undefined) logger.error({ head, first: first.id }, 'spool: no room ahead of the head; appending the batch instead');
          pending.push(...entries);
          await writePending();
          return refused;
        }
        const data = Buffer.concat(entries);
        try {
          await writeSegmentAtomically(dir, slot, data);
        } catch (error) {
          lose(entries, (error as NodeJS.ErrnoException).code ?? String(error));
          return refused;
        }
        segments.push({ id: slot, size: data.length, live: entries.length, damaged: false });
        segments.sort((a, b) => a.id - b.id);
        return refused;
      });
    },

    readBatch(maxRecords) {
      const nothing: SpoolBatch = { entries: [], end: head };
      return serial(async () => {
        await writePending();
        const batch = await readSegmentBatch({
          segments,
          head,
          acked,
          maxRecords,
          chunkBytes: READ_CHUNK_BYTES,
          read: (segment, offset, length) => reader.read(segment, offset, length),
          onDamage(segment, offset, lostBytes) {
            const damaged = segmentById(segment.id);
            if (damaged) damaged.damaged = true;
            damage.corruptRegions++;
            damage.corruptBytes += lostBytes;
            logger.error(
              { segment: segmentName(segment.id), offset, bytes: lostBytes, corruptRegions: damage.corruptRegions },
              'spool: damaged bytes found during replay (checksum or header mismatch); skipped, and the records in them are lost',
            );
          },
        });
        // Only skipped bytes (acknowledged entries, damage, segment ends): nothing to send, so move on now.
        if (batch.entries.length === 0 && (batch.end.segment !== head.segment || batch.end.offset !== head.offset)) await advanceHead(batch.end);
        return batch;
      }, nothing);
    },

    acknowledge(batch, entries) {
      return serial(async () => {
        try {
          await acknowledgeNow(batch, entries);
        } catch (error) {
          logger.error({ err: error }, 'spool: acknowledging a batch failed part-way; a restart may resend it');
        }
      }, undefined);
    },

    isEmpty() {
      return pending.length === 0 && prepending === 0 && !hasUnreadWritten();
    },

    stats() {
      return { bytes, records, writeFailedRecords, damagedRecords, ...damage };
    },

    flush() {
      return serial(async () => {
        await writePending();
        await writer.sync();
      }, undefined);
    },

    close() {
      if (closing) return closing;
      closed = true;
      closing = enqueue(finalFlush);
      return closing;
    },
  };
}
