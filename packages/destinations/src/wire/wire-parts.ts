// A batch's requests as its destination sends them: the parts the pipeline built, or (for any other batch) the body re-encoded into parts.
import type { BatchPart, DeliveryBatch, RefusedRecord } from '../destination.js';
import { gunzipLines } from '../gzip/gunzip-lines.js';
import { gzipText } from '../gzip/gzip-text.js';
import { cutRequests } from '../request-cutting/cut-requests.js';
import { wireSource } from './wire-encoding.js';
import type { WireEncoding } from './wire-encoding.js';

export interface WireParts {
  parts: readonly BatchPart[];
  /** Records the encoding would not send, in batch order. */
  keptOut: readonly RefusedRecord[];
  unfit?: { code: string; message: string };
}

/**
 * A batch the pipeline built in `encoding` is taken as it is: nothing is inflated or compressed
 * again. Any other batch (a validation payload, a batch built before the encoding was known) is
 * read line by line, each line a record, and re-encoded into the same parts the pipeline would
 * have built, one request's text at a time; only the compressed parts are held.
 */
export async function wireParts(batch: DeliveryBatch, encoding: WireEncoding): Promise<WireParts> {
  if (batch.encoding === encoding.name && batch.parts !== undefined) {
    return { parts: batch.parts, keptOut: batch.keptOut ?? [], ...(batch.unfit ? { unfit: batch.unfit } : {}) };
  }
  const { origin } = batch;
  // Without an origin, the position in the batch stands in for the offset, and the suffix for the source.
  const source = origin !== undefined ? wireSource(origin.jobId, origin.partition) : batch.suffix;
  const keptOut: RefusedRecord[] = [];
  let unfit: WireParts['unfit'];
  let position = 0;
  async function* encoded(): AsyncGenerator<string[], void, undefined> {
    for await (const block of gunzipLines(batch.body)) {
      const texts: string[] = [];
      for (const line of block) {
        const offset = origin !== undefined ? (origin.offsets[position] ?? -1) : position;
        const record = encoding.encodeRecord(line, offset, source);
        if (typeof record === 'string') {
          if (record !== '') texts.push(record);
        } else if ('refused' in record) keptOut.push({ offset: origin !== undefined ? offset : -1, ...record.refused, document: line });
        else unfit ??= record.unfit;
        position++;
      }
      yield texts;
    }
  }
  const limits = {
    maxBytes: encoding.maxRequestBytes,
    ...(encoding.maxRequestRecords !== undefined ? { maxItems: encoding.maxRequestRecords } : {}),
    framingBytes: Buffer.byteLength(encoding.requestPrefix) + Buffer.byteLength(encoding.requestSuffix),
    separatorBytes: Buffer.byteLength(encoding.recordDelimiter),
  };
  const parts: BatchPart[] = [];
  for await (const run of cutRequests(encoded(), (text) => Buffer.byteLength(text), limits)) {
    if (unfit !== undefined) break;
    const text = `${encoding.requestPrefix}${run.join(encoding.recordDelimiter)}${encoding.requestSuffix}`;
    parts.push({ body: await gzipText(text), records: run.length, uncompressedBytes: Buffer.byteLength(text) });
  }
  return { parts, keptOut, ...(unfit ? { unfit } : {}) };
}

/** A part with where it stands in the batch: `first` records come before it, `skip` of its own were already accepted. */
export interface PendingPart {
  part: BatchPart;
  index: number;
  first: number;
  skip: number;
}

/** The parts a delivery still has to send when `accepted` records (from the start) were taken before. */
export function* pendingParts(parts: readonly BatchPart[], accepted: number): Generator<PendingPart, void, undefined> {
  let first = 0;
  for (const [index, part] of parts.entries()) {
    if (first + part.records > accepted) yield { part, index, first, skip: Math.max(0, accepted - first) };
    first += part.records;
  }
}

/** Records over every part: what the destination's progress counts. */
export function partRecords(parts: readonly BatchPart[]): number {
  return parts.reduce((sum, part) => sum + part.records, 0);
}
