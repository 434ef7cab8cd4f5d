// Turns a batch into bulk items (one per NDJSON line, each with a deterministic _id) and items into `_bulk` bodies.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { DeliveryBatch } from '../destination.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** zlib's default level, as for the batches themselves. */
const GZIP_LEVEL = 6;

/** One record of the batch, ready to be created in the index. */
export interface BulkItem {
  /** Position in the batch, from 0: results are reported in this order. */
  position: number;
  /** `<jobId>-<partition>-<offset>`, or `<suffix>-<position>` for a batch without origin: the same on every redelivery. */
  id: string;
  /** The record's Kafka offset, or -1 when the batch carried no origin. */
  offset: number;
  /** The record's line, without its line break. */
  document: string;
  /** `{"create":{"_id":…}}` and the document, each ending in "\n": this item's share of a bulk body. */
  lines: string;
}

export type ItemsOrProblem = { ok: true; items: BulkItem[] } | { ok: false; code: string; message: string };

/**
 * Splits the batch text into one item per line. The line count must equal the record count: with a
 * batch prefix or suffix, a custom record delimiter or CSV output, lines are not records, and pairing
 * them with offsets (hence ids) would be wrong.
 */
export function batchItems(text: string, batch: DeliveryBatch): ItemsOrProblem {
  const lines = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  if (lines.length !== batch.records) {
    return {
      ok: false,
      code: 'ES_BATCH_NOT_NDJSON',
      message:
        `the batch holds ${lines.length} line(s) for ${batch.records} record(s); Elasticsearch needs one JSON document per line: ` +
        'set the job\'s output_type to "ndjson" without batch_prefix, batch_suffix or record_delimiter',
    };
  }
  // CSV or template lines are not documents: refusing each would dead-letter the whole job's output.
  const notJson = lines.findIndex((line) => !line.startsWith('{'));
  if (notJson !== -1) {
    return {
      ok: false,
      code: 'ES_BATCH_NOT_NDJSON',
      message: `line ${notJson + 1} of the batch is not a JSON object; Elasticsearch needs one JSON document per line: set the job's output_type to "ndjson"`,
    };
  }
  const { origin } = batch;
  if (origin !== undefined && origin.offsets.length !== batch.records) {
    return { ok: false, code: 'ES_BATCH_ORIGIN_MISMATCH', message: `the batch names ${origin.offsets.length} offset(s) for ${batch.records} record(s)` };
  }
  const items = lines.map((document, position): BulkItem => {
    const offset = origin?.offsets[position] ?? -1;
    const id = origin !== undefined ? `${origin.jobId}-${origin.partition}-${offset}` : `${batch.suffix}-${position}`;
    return { position, id, offset, document, lines: `{"create":{"_id":${JSON.stringify(id)}}}\n${document}\n` };
  });
  return { ok: true, items };
}

/**
 * `create`, not `index`: a document whose _id exists is left alone and answered 409, so a replayed
 * batch never duplicates or overwrites anything. The index is in the request path, not each action.
 */
export function encodeBulkBody(items: readonly BulkItem[]): string {
  return items.map((item) => item.lines).join('');
}

export function gzipText(text: string): Promise<Buffer> {
  return gzipAsync(Buffer.from(text, 'utf8'), { level: GZIP_LEVEL });
}

export async function gunzipText(body: Buffer): Promise<string> {
  return (await gunzipAsync(body)).toString('utf8');
}
