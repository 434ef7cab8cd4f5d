// Bulk items (one per NDJSON line, each with a deterministic _id): checks a batch built elsewhere, and rebuilds items from a part's text.
import type { DeliveryBatch } from '../destination.js';
import { gunzipLines } from '../gzip/gunzip-lines.js';

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

export interface BatchProblem {
  code: string;
  message: string;
}

export type ItemsOrProblem = { ok: true; items: BulkItem[] } | ({ ok: false } & BatchProblem);

/**
 * The id is what makes a redelivery harmless: the same job, partition and offset give the same _id,
 * and `create` answers 409 for an id that exists rather than storing the record twice.
 */
export function bulkItem(document: string, position: number, batch: DeliveryBatch): BulkItem {
  const { origin } = batch;
  const offset = origin?.offsets[position] ?? -1;
  const id = origin !== undefined ? `${origin.jobId}-${origin.partition}-${offset}` : `${batch.suffix}-${position}`;
  return { position, id, offset, document, lines: `{"create":{"_id":${JSON.stringify(id)}}}\n${document}\n` };
}

/**
 * The line count must equal the record count: with a batch prefix or suffix, a custom record
 * delimiter or CSV output, lines are not records, and pairing them with offsets (hence ids) would
 * be wrong. CSV or template lines are not documents: refusing each would dead-letter the job's output.
 * `firstNotJson` is the index of the first line that does not start with "{", or -1.
 */
export function linesProblem(lineCount: number, firstNotJson: number, batch: DeliveryBatch): BatchProblem | undefined {
  if (lineCount !== batch.records) {
    return {
      code: 'ES_BATCH_NOT_NDJSON',
      message:
        `the batch holds ${lineCount} line(s) for ${batch.records} record(s); Elasticsearch needs one JSON document per line: ` +
        'set the job\'s output_type to "ndjson" without batch_prefix, batch_suffix or record_delimiter',
    };
  }
  if (firstNotJson !== -1) {
    return {
      code: 'ES_BATCH_NOT_NDJSON',
      message: `line ${firstNotJson + 1} of the batch is not a JSON object; Elasticsearch needs one JSON document per line: set the job's output_type to "ndjson"`,
    };
  }
  const { origin } = batch;
  if (origin !== undefined && origin.offsets.length !== batch.records) {
    return { code: 'ES_BATCH_ORIGIN_MISMATCH', message: `the batch names ${origin.offsets.length} offset(s) for ${batch.records} record(s)` };
  }
  return undefined;
}

/** Splits a batch text (whether or not its last line ends in a line break) into one item per line. */
export function batchItems(text: string, batch: DeliveryBatch): ItemsOrProblem {
  const lines = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const problem = linesProblem(lines.length, lines.findIndex((line) => !line.startsWith('{')), batch);
  if (problem !== undefined) return { ok: false, ...problem };
  return { ok: true, items: lines.map((document, position) => bulkItem(document, position, batch)) };
}

/** Reads the whole body once, holding one line at a time, so that a batch unfit for bulk is refused before anything is sent. */
export async function checkBatchBody(batch: DeliveryBatch): Promise<BatchProblem | undefined> {
  let count = 0;
  let firstNotJson = -1;
  for await (const block of gunzipLines(batch.body)) {
    for (const line of block) {
      if (firstNotJson === -1 && !line.startsWith('{')) firstNotJson = count;
      count++;
    }
  }
  return linesProblem(count, firstNotJson, batch);
}

/**
 * `create`, not `index`: a document whose _id exists is left alone and answered 409, so a replayed
 * batch never duplicates or overwrites anything. The index is in the request path, not each action.
 */
export function encodeBulkBody(items: readonly BulkItem[]): string {
  return items.map((item) => item.lines).join('');
}
