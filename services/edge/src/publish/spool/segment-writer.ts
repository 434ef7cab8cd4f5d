// Appends group-committed chunks to the spool's newest segment, fsyncing at least every `syncIntervalMs` while data flows.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@sluice/logging';
import { segmentName, syncDirectory } from './segment-files.js';

/** A segment as the spool tracks it; the writer grows `size` and `live` as it appends. */
export interface SpoolSegment {
  readonly id: number;
  /** Bytes written to the file. */
  size: number;
  /** Entries not yet acknowledged. */
  live: number;
  /** Damage was found while replaying it: keep it as `.corrupt` instead of deleting it. */
  damaged: boolean;
}

export interface SegmentWriterOptions {
  readonly dir: string;
  readonly syncIntervalMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  /** Runs a deferred fsync in the spool's chain of file operations, so it never races a write or a close. */
  readonly defer: (operation: () => Promise<void>) => void;
}

export interface SegmentWriter {
  /** The segment being appended to, if one is open. */
  readonly current: SpoolSegment | undefined;
  /** Creates the file of a new, empty segment and appends to it from now on; false (logged) if it cannot. */
  open(segment: SpoolSegment): Promise<boolean>;
  /** Appends the entries in one write. On failure the file is cut back to where it was, and the reason returned. */
  write(entries: readonly Buffer[], bytes: number): Promise<string | undefined>;
  /** fsyncs what was written since the last fsync. */
  sync(): Promise<void>;
  /** fsyncs and closes the current segment; the next write needs `open`. */
  seal(): Promise<void>;
  /** Cancels a pending deferred fsync (the caller seals instead). */
  stop(): void;
}

export function createSegmentWriter(options: SegmentWriterOptions): SegmentWriter {
  const { dir, logger, now } = options;
  let tail: { segment: SpoolSegment; handle: FileHandle } | undefined;
  let dirty = false;
  let lastSyncAt = Number.NEGATIVE_INFINITY;
  let syncTimer: NodeJS.Timeout | undefined;

  async function sync(): Promise<void> {
    if (dirty && tail !== undefined) await tail.handle.datasync();
    dirty = false;
    lastSyncAt = now();
  }

  return {
    get current() {
      return tail?.segment;
    },

    async open(segment) {
      try {
        const handle = await open(join(dir, segmentName(segment.id)), 'ax');
        await syncDirectory(dir);
        tail = { segment, handle };
        return true;
      } catch (error) {
        logger.error({ err: error, segment: segmentName(segment.id) }, 'spool: cannot create a segment');
        return false;
      }
    },

    async write(entries, bytes) {
      if (entries.length === 0) return undefined;
      if (tail === undefined) return 'no open segment';
      const { segment, handle } = tail;
      const data = entries.length === 1 ? entries[0] : Buffer.concat(entries, bytes);
      try {
        for (let written = 0; written < data.length; ) {
          written += (await handle.write(data, written, data.length - written)).bytesWritten;
        }
      } catch (error) {
        // Cut the file back, so that nothing half-written follows the entries before.
        try {
          await handle.truncate(segment.size);
        } catch {
          // Leave it to recovery, which truncates or skips what a failed write left; write elsewhere from now on.
          tail = undefined;
          await handle.close().catch(() => undefined);
        }
        return (error as NodeJS.ErrnoException).code ?? String(error);
      }
      segment.size += data.length;
      segment.live += entries.length;
      dirty = true;
      // The first write after a quiet spell is synced at once; while writes keep coming, once per interval.
      if (now() - lastSyncAt >= options.syncIntervalMs) await sync();
      else if (syncTimer === undefined) {
        syncTimer = setTimeout(() => {
          syncTimer = undefined;
          options.defer(sync);
        }, options.syncIntervalMs);
      }
      return undefined;
    },

    sync,

    async seal() {
      if (tail === undefined) return;
      const { handle } = tail;
      dirty = true;
      await sync();
      tail = undefined;
      await handle.close();
    },

    stop() {
      clearTimeout(syncTimer);
      syncTimer = undefined;
    },
  };
}
