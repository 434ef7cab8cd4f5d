// Datadog's wire encoding: each record one log entry of a JSON array, refused over the per-log limit, arrays bounded in bytes and entries.
import { withoutLineBreak } from '../wire/wire-encoding.js';
import type { WireEncoding } from '../wire/wire-encoding.js';

export interface DatadogLimits {
  maxRequestBytes: number;
  maxLogBytes: number;
  maxEntries: number;
}

/**
 * Records that are JSON objects (NDJSON jobs) go in as they are; any other record (CSV, templates)
 * is sent as `{"message": record}`, which Datadog shows as the log's text. An entry over the
 * per-log limit is refused (dead-lettered) rather than sent to be dropped by the intake.
 */
export function datadogWireEncoding(limits: DatadogLimits): WireEncoding {
  return {
    name: `datadog-array:${limits.maxRequestBytes}:${limits.maxLogBytes}:${limits.maxEntries}`,
    encodeRecord(record) {
      const line = withoutLineBreak(record);
      const entry = line.startsWith('{') ? line : JSON.stringify({ message: line });
      const bytes = Buffer.byteLength(entry);
      if (bytes > limits.maxLogBytes) return { refused: { code: 'DATADOG_LOG_TOO_LARGE', reason: `a log entry of ${bytes} bytes is over Datadog's ${limits.maxLogBytes}-byte limit per log` } };
      return entry;
    },
    requestPrefix: '[',
    requestSuffix: ']',
    recordDelimiter: ',',
    maxRequestBytes: limits.maxRequestBytes,
    maxRequestRecords: limits.maxEntries,
  };
}
