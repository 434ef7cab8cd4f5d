// Turns a batch's NDJSON lines into Datadog request bodies: JSON arrays within the intake's limits.
import type { RefusedRecord } from '../destination.js';
import { DATADOG_LIMITS } from './datadog-config.js';

export interface DatadogChunk {
  /** `[entry,entry,…]`, uncompressed. */
  body: string;
  /** Lines of the batch this chunk covers, refused ones included: where the next chunk starts. */
  endLine: number;
}

export interface EncodedBatch {
  chunks: DatadogChunk[];
  /** Entries over Datadog's 1 MB per log, across the whole batch: they would be refused, so they are never sent. */
  refused: RefusedRecord[];
}

export interface DatadogLimits {
  maxRequestBytes: number;
  maxLogBytes: number;
  maxEntries: number;
}

/**
 * Lines that are JSON objects (NDJSON jobs) go in as they are; any other line (CSV, templates) is
 * sent as `{"message": line}`, which Datadog shows as the log's text. Chunks start at `fromLine`,
 * so that a redelivery skips what Datadog already took; refusals always cover the whole batch, so
 * that none is lost when an earlier attempt failed part-way.
 */
export function encodeDatadogChunks(lines: readonly string[], offsets: readonly number[], fromLine: number, limits: DatadogLimits = DATADOG_LIMITS): EncodedBatch {
  const chunks: DatadogChunk[] = [];
  const refused: RefusedRecord[] = [];
  let entries: string[] = [];
  let bytes = 2; // the brackets
  const close = (endLine: number): void => {
    if (entries.length > 0) chunks.push({ body: `[${entries.join(',')}]`, endLine });
    entries = [];
    bytes = 2;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const entry = line.startsWith('{') ? line : JSON.stringify({ message: line });
    const size = Buffer.byteLength(entry);
    if (size > limits.maxLogBytes) {
      refused.push({ offset: offsets[i] ?? -1, code: 'DATADOG_LOG_TOO_LARGE', reason: `a log entry of ${size} bytes is over Datadog's ${limits.maxLogBytes}-byte limit per log`, document: line });
      continue;
    }
    if (i < fromLine) continue;
    if (entries.length === limits.maxEntries || bytes + size + 1 > limits.maxRequestBytes) close(i);
    entries.push(entry);
    bytes += size + (entries.length > 1 ? 1 : 0);
  }
  close(lines.length);
  // A batch whose only remaining lines were refused still needs its end recorded.
  if (chunks.length === 0 || (chunks.at(-1)?.endLine ?? 0) < lines.length) chunks.push({ body: '', endLine: lines.length });
  return { chunks, refused };
}
