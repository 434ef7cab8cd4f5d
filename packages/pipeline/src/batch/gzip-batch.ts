// An open batch that compresses as it fills: memory holds gzip output, not the rendered text.
import { createGzip } from 'node:zlib';
import type { Gzip } from 'node:zlib';

export interface BatchFraming {
  batchPrefix: string;
  batchSuffix: string;
  recordDelimiter: string;
  /**
   * CVE-2021-44228: every `${` in the body becomes `x{`, so no Log4j lookup survives into a
   * destination. Done here, on the whole body, because a `${` can be formed across any boundary:
   * a value ending in `$` before a suffix starting with `{`, a delimiter, the batch prefix or suffix.
   */
  escapeJndi: boolean;
}

export const PLAIN_FRAMING: BatchFraming = { batchPrefix: '', batchSuffix: '', recordDelimiter: '', escapeJndi: false };

/** gzip level used for every batch; 6 is zlib's own default balance of size and speed. */
export const GZIP_LEVEL = 6;

// Rendered text is handed to zlib in pieces of about this many characters: fewer, larger writes.
const WRITE_CHUNK_CHARS = 64 * 1024;

export interface SealedBatch {
  /** The gzip-compressed body. */
  body: Buffer;
  records: number;
  uncompressedBytes: number;
  /** Offsets of the first and last record in the batch (Kafka offsets of one partition). */
  firstOffset: number;
  lastOffset: number;
  /** The offset of every record, in the order the records were added. */
  offsets: number[];
  /** Earliest and latest record time in the batch, milliseconds since the epoch. */
  startTimeMs: number;
  endTimeMs: number;
}

export interface GzipBatch {
  readonly records: number;
  /** Uncompressed bytes so far (exact for what has been handed to zlib, estimated for the rest). */
  readonly bytes: number;
  /** Wall-clock time the batch was opened (idle flushes). */
  readonly openedAtMs: number;
  readonly firstOffset: number;
  /** Record (Kafka) time of the first record added, or NaN while empty: ages are measured from it on replay too. */
  readonly firstTimeMs: number;
  /** What the batch holds in memory now: gzip output, text not yet compressed, and its offsets. */
  readonly memoryBytes: number;
  add(text: string, offset: number, timeMs: number): void;
  /** Finishes the gzip stream; the batch takes no more records. */
  seal(): Promise<SealedBatch>;
  /** Drops the batch and frees its memory (nothing is delivered or committed). */
  abandon(): void;
}

export function createGzipBatch(framing: BatchFraming, openedAtMs: number, level = GZIP_LEVEL): GzipBatch {
  const gzip: Gzip = createGzip({ level });
  const output: Buffer[] = [];
  let failure: Error | undefined;
  gzip.on('data', (chunk: Buffer) => {
    output.push(chunk);
    outputBytes += chunk.length;
  });
  gzip.on('error', (error) => (failure = error));
  let pending = framing.batchPrefix;
  let writtenBytes = 0;
  let records = 0;
  let firstOffset = -1;
  let lastOffset = -1;
  let offsets: number[] = [];
  let firstTimeMs = NaN;
  let outputBytes = 0;
  let startTimeMs = Infinity;
  let endTimeMs = -Infinity;

  // `final` is false while records may still follow: a trailing `$` is then held back in `pending`,
  // since the text after it (unknown yet) may start with `{`. The swap keeps every length, so the
  // byte counts are the same with or without the escape.
  const flush = (final: boolean): void => {
    let text = pending;
    pending = '';
    if (framing.escapeJndi && text.indexOf('$') !== -1) {
      text = text.replaceAll('${', 'x{');
      if (!final && text.endsWith('$')) {
        text = text.slice(0, -1);
        pending = '$';
      }
    }
    if (text.length === 0) return;
    const chunk = Buffer.from(text, 'utf8');
    writtenBytes += chunk.length;
    gzip.write(chunk);
  };

  return {
    get records() {
      return records;
    },
    get bytes() {
      return writtenBytes + pending.length;
    },
    openedAtMs,
    get firstOffset() {
      return firstOffset;
    },
    get firstTimeMs() {
      return firstTimeMs;
    },
    get memoryBytes() {
      // Offsets are kept as doubles (8 bytes each); pending text is counted as one byte a character.
      return outputBytes + pending.length + offsets.length * 8;
    },
    add(text, offset, timeMs) {
      if (records === 0) {
        firstOffset = offset;
        firstTimeMs = timeMs;
      }
      else if (framing.recordDelimiter !== '') pending += framing.recordDelimiter;
      pending += text;
      records++;
      lastOffset = offset;
      offsets.push(offset);
      if (timeMs < startTimeMs) startTimeMs = timeMs;
      if (timeMs > endTimeMs) endTimeMs = timeMs;
      if (pending.length >= WRITE_CHUNK_CHARS) flush(false);
    },
    seal() {
      pending += framing.batchSuffix;
      flush(true);
      return new Promise<SealedBatch>((resolve, reject) => {
        gzip.once('end', () => {
          if (failure) reject(failure);
          else {
            resolve({
              body: Buffer.concat(output),
              records,
              uncompressedBytes: writtenBytes,
              firstOffset,
              lastOffset,
              offsets,
              startTimeMs: records > 0 ? startTimeMs : openedAtMs,
              endTimeMs: records > 0 ? endTimeMs : openedAtMs,
            });
          }
        });
        gzip.once('error', reject);
        gzip.end();
      });
    },
    abandon() {
      gzip.destroy();
      output.length = 0;
      outputBytes = 0;
      offsets = [];
      pending = '';
    },
  };
}
