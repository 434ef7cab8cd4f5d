// An open batch that compresses as it fills, in parts (one gzip member per request): memory holds gzip output, not the rendered text.
import { createGzipPart } from './gzip-part.js';
import type { GzipPart } from './gzip-part.js';
import { createPartCutter } from './part-cutter.js';
import type { KeptOutRecord, WireTarget } from './wire-framing.js';

export interface BatchFraming {
  batchPrefix: string;
  batchSuffix: string;
  recordDelimiter: string;
  /**
   * CVE-2021-44228: every `${` becomes `x{`, so no Log4j lookup survives into a destination. With
   * the job's framing it is done on the whole body (a `${` can be formed across any boundary); with
   * a wire encoding, on each rendered record before the destination wraps it.
   */
  escapeJndi: boolean;
}

export const PLAIN_FRAMING: BatchFraming = { batchPrefix: '', batchSuffix: '', recordDelimiter: '', escapeJndi: false };

/** gzip level used for every batch; 6 is zlib's own default balance of size and speed. */
export const GZIP_LEVEL = 6;

/** One request's worth of a batch. */
export interface BatchPart {
  /** One whole gzip member, a view into the batch's `body`: sent as it is, as one request's body. */
  body: Buffer;
  /** Records in the part (those the wire encoding kept out are in none). */
  records: number;
  uncompressedBytes: number;
}

export interface SealedBatch {
  /** Every part's gzip member in order: itself a valid gzip file (S3 stores it; gunzip reads all members). */
  body: Buffer;
  /** One part for the job's own framing; for a wire encoding, one per request within its bounds. */
  parts: BatchPart[];
  /** The wire encoding the parts are in; absent when the job's own framing was used. */
  encoding?: string;
  /** Records the wire encoding would not send (e.g. over a per-record limit), in batch order. */
  keptOut?: KeptOutRecord[];
  /** Set when a record cannot be sent in the wire encoding at all: the batch is unfit for the destination. */
  unfit?: { code: string; message: string };
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

export interface GzipBatchOptions {
  level?: number;
  /** Build the body in this destination's wire encoding, cut into its requests. Default: the job's framing, one part. */
  wire?: WireTarget;
}

type Finished = Promise<{ body: Buffer; uncompressedBytes: number; records: number }>;

export function createGzipBatch(framing: BatchFraming, openedAtMs: number, options: GzipBatchOptions = {}): GzipBatch {
  const level = options.level ?? GZIP_LEVEL;
  const target = options.wire;
  const wire = target?.wire;
  // With a wire encoding the destination's request framing replaces the job's batch framing; records are escaped one by one.
  const prefix = wire ? wire.requestPrefix : framing.batchPrefix;
  const suffix = wire ? wire.requestSuffix : framing.batchSuffix;
  const delimiter = wire ? wire.recordDelimiter : framing.recordDelimiter;
  const escapeRecords = wire !== undefined && framing.escapeJndi;
  const cutter = wire ? createPartCutter(wire) : undefined;
  const finished: Finished[] = [];
  const keptOut: KeptOutRecord[] = [];
  let unfit: SealedBatch['unfit'];
  let part: GzipPart | undefined;
  let partRecords = 0;
  let finishedBytes = 0;
  let records = 0;
  let firstOffset = -1;
  let lastOffset = -1;
  let offsets: number[] = [];
  let firstTimeMs = NaN;
  let startTimeMs = Infinity;
  let endTimeMs = -Infinity;
  // Parts already ended hold their output until the batch is sealed.
  let finishedMemory = 0;
  let abandoned = false;

  const openPart = (): GzipPart => {
    const opened = createGzipPart(level, !wire && framing.escapeJndi);
    opened.write(prefix);
    partRecords = 0;
    return opened;
  };
  const endPart = (): void => {
    if (part === undefined) return;
    const ending = part;
    const count = partRecords;
    finishedBytes += ending.bytes + suffix.length;
    // Counted at once as it stands, then as the member it became.
    const estimate = ending.memoryBytes;
    finishedMemory += estimate;
    part = undefined;
    finished.push(
      ending.finish(suffix).then(({ body, uncompressedBytes }) => {
        if (!abandoned) finishedMemory += body.length - estimate;
        return { body, uncompressedBytes, records: count };
      }),
    );
  };

  /** Appends one record's wire text to the current part, ending it first when the record would not fit. */
  const append = (text: string): void => {
    if (cutter?.cutsBefore(text) === true) endPart();
    const newPart = part === undefined;
    part ??= openPart();
    if (!newPart) part.write(delimiter);
    part.write(text);
    partRecords++;
    cutter?.take(newPart);
  };

  const encode = (rendered: string, offset: number): void => {
    if (!wire || !target) return append(rendered);
    const escaped = escapeRecords && rendered.indexOf('$') !== -1 ? rendered.replaceAll('${', 'x{') : rendered;
    const encoded = wire.encodeRecord(escaped, offset, target.source);
    if (typeof encoded === 'string') {
      if (encoded !== '') append(encoded);
    } else if ('refused' in encoded) keptOut.push({ offset, ...encoded.refused, document: escaped });
    else unfit ??= encoded.unfit;
  };

  return {
    get records() {
      return records;
    },
    get bytes() {
      return finishedBytes + (part?.bytes ?? 0);
    },
    openedAtMs,
    get firstOffset() {
      return firstOffset;
    },
    get firstTimeMs() {
      return firstTimeMs;
    },
    get memoryBytes() {
      // Offsets are kept as doubles (8 bytes each).
      return finishedMemory + (part?.memoryBytes ?? 0) + offsets.length * 8;
    },
    add(text, offset, timeMs) {
      if (records === 0) {
        firstOffset = offset;
        firstTimeMs = timeMs;
      }
      records++;
      lastOffset = offset;
      offsets.push(offset);
      if (timeMs < startTimeMs) startTimeMs = timeMs;
      if (timeMs > endTimeMs) endTimeMs = timeMs;
      encode(text, offset);
    },
    async seal() {
      // The job's framing always yields one part (an empty batch is its prefix and suffix); a wire batch only those with records.
      if (!wire && part === undefined) part = openPart();
      endPart();
      const ended = await Promise.all(finished);
      // One copy into the batch body; each part is a view into it.
      const body = Buffer.concat(ended.map((p) => p.body));
      let at = 0;
      const parts = ended.map((p): BatchPart => {
        const view = body.subarray(at, at + p.body.length);
        at += p.body.length;
        return { body: view, records: p.records, uncompressedBytes: p.uncompressedBytes };
      });
      return {
        body,
        parts,
        ...(wire ? { encoding: wire.name } : {}),
        ...(keptOut.length > 0 ? { keptOut } : {}),
        ...(unfit ? { unfit } : {}),
        records,
        uncompressedBytes: parts.reduce((sum, p) => sum + p.uncompressedBytes, 0),
        firstOffset,
        lastOffset,
        offsets,
        startTimeMs: records > 0 ? startTimeMs : openedAtMs,
        endTimeMs: records > 0 ? endTimeMs : openedAtMs,
      };
    },
    abandon() {
      abandoned = true;
      part?.destroy();
      part = undefined;
      finished.length = 0;
      finishedMemory = 0;
      offsets = [];
    },
  };
}
