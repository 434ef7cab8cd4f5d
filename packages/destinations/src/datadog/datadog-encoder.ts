// Turns a batch's lines into Datadog log entries, refusing those over the per-log limit; requests are cut from them by cutRequests.
import type { RefusedRecord } from '../destination.js';
import type { RequestLimits } from '../request-cutting/cut-requests.js';

export interface DatadogLimits {
  maxRequestBytes: number;
  maxLogBytes: number;
  maxEntries: number;
}

export interface DatadogEntry {
  /** The line's position in the batch: a request that ends with it leaves the next line to send. */
  line: number;
  /** The JSON object sent for the line. */
  entry: string;
  bytes: number;
}

/** A request body is `[entry,entry,…]`: the brackets and commas count towards its size. */
export function requestLimits(limits: DatadogLimits): RequestLimits {
  return { maxBytes: limits.maxRequestBytes, maxItems: limits.maxEntries, framingBytes: 2, separatorBytes: 1 };
}

export function encodeDatadogBody(entries: readonly DatadogEntry[]): string {
  return `[${entries.map((entry) => entry.entry).join(',')}]`;
}

/**
 * Lines that are JSON objects (NDJSON jobs) go in as they are; any other line (CSV, templates) is
 * sent as `{"message": line}`, which Datadog shows as the log's text. Entries start at `fromLine`,
 * so that a redelivery skips what Datadog already took; refusals (pushed to `refused` as the lines
 * are read) always cover the whole batch, so that none is lost when an earlier attempt failed part-way.
 */
export async function* datadogEntries(
  blocks: AsyncIterable<readonly string[]>,
  offsets: readonly number[],
  fromLine: number,
  limits: DatadogLimits,
  refused: RefusedRecord[],
): AsyncGenerator<DatadogEntry[], void, undefined> {
  let position = 0;
  for await (const block of blocks) {
    const entries: DatadogEntry[] = [];
    for (const line of block) {
      const entry = line.startsWith('{') ? line : JSON.stringify({ message: line });
      const bytes = Buffer.byteLength(entry);
      if (bytes > limits.maxLogBytes) {
        refused.push({ offset: offsets[position] ?? -1, code: 'DATADOG_LOG_TOO_LARGE', reason: `a log entry of ${bytes} bytes is over Datadog's ${limits.maxLogBytes}-byte limit per log`, document: line });
      } else if (position >= fromLine) {
        entries.push({ line: position, entry, bytes });
      }
      position++;
    }
    yield entries;
  }
}
