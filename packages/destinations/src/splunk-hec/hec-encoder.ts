// Turns a batch's records into HEC request bodies: raw lines, or event envelopes in HEC's batch format.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { HEC_METADATA_FIELDS } from './splunk-config.js';
import type { HecMetadata } from './splunk-config.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** gzip level for re-encoded bodies; zlib's default, as for the batches themselves. */
const GZIP_LEVEL = 6;

/** The records of a newline-framed batch, without their line endings; blank lines are not records. */
export function splitRecords(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** Raw endpoint: the records as they are, one per line, so HEC's line breaking finds one event per record. */
export function encodeRawBody(records: readonly string[]): string {
  return records.map((record) => `${record}\n`).join('');
}

/**
 * Event endpoint: one `{"event":…,<metadata>}` object per record, newline-separated (HEC's batch
 * format). A record that is JSON goes in verbatim rather than parsed and re-serialised, which would
 * round integers beyond 2^53 and lose the renderer's exact output; anything else goes in as a string.
 * No `time` field: records carry their times in their own fields, in the job's timestamp format, so
 * Splunk stamps the receipt time unless its sourcetype extracts one.
 */
export function createEventEncoder(metadata: HecMetadata): (records: readonly string[]) => string {
  // The same metadata closes every envelope: serialised once.
  const tail = HEC_METADATA_FIELDS.flatMap((name) => (metadata[name] !== undefined ? [`,"${name}":${JSON.stringify(metadata[name])}`] : [])).join('');
  return (records) => records.map((record) => `{"event":${eventValue(record.replace(/\r$/, ''))}${tail}}\n`).join('');
}

function eventValue(record: string): string {
  try {
    const parsed: unknown = JSON.parse(record);
    // null and "" are JSON but HEC refuses them as blank events (code 13); as text they are kept.
    if (parsed !== null && parsed !== '') return record.trim();
  } catch {
    // Not JSON (CSV, a template): sent as a string below.
  }
  return JSON.stringify(record);
}

export function gzipText(text: string): Promise<Buffer> {
  return gzipAsync(Buffer.from(text, 'utf8'), { level: GZIP_LEVEL });
}

export async function gunzipText(body: Buffer): Promise<string> {
  return (await gunzipAsync(body)).toString('utf8');
}
