// Turns a batch's records into HEC request text: raw lines, or event envelopes in HEC's batch format.
import { HEC_METADATA_FIELDS } from './splunk-config.js';
import type { HecMetadata } from './splunk-config.js';

/** Encodes one record as its share of a request body, line break included. */
export type HecRecordEncoder = (record: string) => string;

/** Blank lines are not records: HEC would refuse them as blank events. */
export function isRecordLine(line: string): boolean {
  return line.trim() !== '';
}

/** The records of a newline-framed batch, without their line endings. */
export function splitRecords(text: string): string[] {
  return text.split('\n').filter(isRecordLine);
}

/** Raw endpoint: the record as it is, on its own line, so HEC's line breaking finds one event per record. */
export const encodeRawRecord: HecRecordEncoder = (record) => `${record}\n`;

export function encodeRawBody(records: readonly string[]): string {
  return records.map(encodeRawRecord).join('');
}

/**
 * Event endpoint: one `{"event":…,<metadata>}` object per record, newline-separated (HEC's batch
 * format). A record that is JSON goes in verbatim rather than parsed and re-serialised, which would
 * round integers beyond 2^53 and lose the renderer's exact output; anything else goes in as a string.
 * No `time` field: records carry their times in their own fields, in the job's timestamp format, so
 * Splunk stamps the receipt time unless its sourcetype extracts one.
 */
export function createEventRecordEncoder(metadata: HecMetadata): HecRecordEncoder {
  // The same metadata closes every envelope: serialised once.
  const tail = HEC_METADATA_FIELDS.flatMap((name) => (metadata[name] !== undefined ? [`,"${name}":${JSON.stringify(metadata[name])}`] : [])).join('');
  return (record) => `{"event":${eventValue(record.replace(/\r$/, ''))}${tail}}\n`;
}

export function createEventEncoder(metadata: HecMetadata): (records: readonly string[]) => string {
  const encode = createEventRecordEncoder(metadata);
  return (records) => records.map(encode).join('');
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
