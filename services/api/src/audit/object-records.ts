// Reads one stored batch object back into records: gunzipped as it streams, NDJSON lines or CSV rows, one bounded record at a time.
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { parseExactJson } from '@sluice/schemas';
import type { AuditJob } from './audit-job.js';
import { createCsvRecordReader } from './csv-records.js';
import type { CsvField } from './csv-records.js';

/** A record longer than this (uncompressed characters) is counted unreadable and skipped, so one object cannot exhaust memory. */
export const MAX_RECORD_CHARS = 1024 * 1024;

export type StoredRecord = Record<string, unknown>;

export interface RecordSink {
  /** Called for each record that may hold the user (a cheap text test first); NDJSON values are exact (bigints for long integers). */
  record(record: StoredRecord): void;
  /** A line or row that could not be read as a record. */
  unreadable(): void;
}

/**
 * `needle`: text every record of the user contains as written (its JSON-escaped email); records
 * without it are not parsed at all. Rejects when the object is not gzip.
 */
export async function readObjectRecords(body: AsyncIterable<Uint8Array>, job: AuditJob, needle: string, sink: RecordSink): Promise<void> {
  const inflate = createGunzip();
  const source = Readable.from(body);
  source.on('error', (error) => inflate.destroy(error));
  source.pipe(inflate);
  const decoder = new StringDecoder('utf8');
  const reader = job.format.outputType === 'csv' ? csvReader(job, needle, sink) : ndjsonReader(job, needle, sink);
  for await (const chunk of inflate as AsyncIterable<Buffer>) reader.push(decoder.write(chunk));
  reader.push(decoder.end());
  reader.end();
}

interface TextReader {
  push(text: string): void;
  end(): void;
}

function ndjsonReader(job: AuditJob, needle: string, sink: RecordSink): TextReader {
  let rest = '';
  let skipLines = job.headerLines;
  /** Set while the current line has outgrown MAX_RECORD_CHARS: its remainder is dropped up to the next line break. */
  let discarding = false;
  const line = (text: string): void => {
    if (skipLines > 0) {
      skipLines--;
      return;
    }
    if (text === '' || !text.includes(needle)) return;
    const parsed = parseExactJson(text);
    if (parsed.ok && typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value)) sink.record(parsed.value as StoredRecord);
    else sink.unreadable();
  };
  return {
    push(text) {
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        if (discarding) discarding = false;
        else line(rest + text.slice(start, end));
        rest = '';
        start = end + 1;
      }
      if (discarding) return;
      rest += text.slice(start);
      if (rest.length > MAX_RECORD_CHARS) {
        rest = '';
        discarding = true;
        sink.unreadable();
      }
    },
    end() {
      if (!discarding && rest !== '') line(rest);
      rest = '';
    },
  };
}

function csvReader(job: AuditJob, needle: string, sink: RecordSink): TextReader {
  const csv = createCsvRecordReader(job.format.fieldDelimiter);
  let skipRows = job.headerLines;
  const rows = (list: CsvField[][]): void => {
    for (const fields of list) {
      if (skipRows > 0) {
        skipRows--;
        continue;
      }
      if (fields.length === 1 && fields[0]?.text === '' && !fields[0].quoted) continue;
      if (fields.length !== job.fieldNames.length) {
        sink.unreadable();
        continue;
      }
      // The RequestHeaders cell, once CSV-decoded, is JSON text: the JSON-escaped email appears in it as in NDJSON.
      if (!fields.some((field) => field.text.includes(needle))) continue;
      const record: StoredRecord = {};
      job.fieldNames.forEach((name, index) => {
        record[name] = csvValue(fields[index] ?? { text: '', quoted: false });
      });
      sink.record(record);
    }
  };
  return {
    push(text) {
      rows(csv.push(text));
      if (csv.pending > MAX_RECORD_CHARS) throw new Error(`a CSV record exceeds ${MAX_RECORD_CHARS} characters`);
    },
    end: () => rows(csv.end()),
  };
}

/**
 * CSV values as Sluice writes them: strings quoted (maps and arrays as their JSON text, quoted), numbers
 * and booleans bare, absent empty. A quoted value that is a JSON object or array is read as one.
 */
function csvValue(field: CsvField): unknown {
  if (!field.quoted) {
    if (field.text === '') return null;
    if (field.text === 'true' || field.text === 'false') return field.text === 'true';
    return /^-?\d+$/.test(field.text) ? BigInt(field.text) : Number(field.text);
  }
  if (field.text.startsWith('{') || field.text.startsWith('[')) {
    const parsed = parseExactJson(field.text);
    if (parsed.ok) return parsed.value;
  }
  return field.text;
}
