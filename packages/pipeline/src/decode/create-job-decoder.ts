// A job's decoder: Avro as the schemas package reads it, JSON through the projecting reader, with the whole-object decoder as the reference for anything unusual.
import { createRecordDecoder, getDataset, SCOPE_FIELDS } from '@sluice/schemas';
import type { DatasetName, JsonFieldKind, RecordDecoder } from '@sluice/schemas';
import { createProjectingJsonReader } from './projecting-json-reader.js';
import type { MapKeyFilter } from './projecting-json-reader.js';

export interface JobDecoderOptions {
  /** Dataset fields the job reads (delivered and filtered); the scope fields are always read. */
  readonly fields: readonly string[];
  /**
   * Map fields that only the custom-field projector reads, with the keys it keeps: other keys are
   * checked but not built. Never name a field a filter reads.
   */
  readonly mapKeys?: ReadonlyMap<string, MapKeyFilter>;
}

const AVRO_MARKER = 0xc3;
const OPEN_BRACE = 0x7b;

/** Where a JSON object starts (after a UTF-8 BOM and whitespace), or -1 for anything else: the reference decoder's own test. */
function jsonObjectStart(bytes: Buffer): number {
  if (bytes[0] === AVRO_MARKER) return -1;
  let at = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) at = 3;
  for (let byte = bytes[at]; byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09; byte = bytes[++at]);
  return bytes[at] === OPEN_BRACE ? at : -1;
}

/**
 * Same outcome as `createRecordDecoder(dataset, { fields })` for every input (records, codes and
 * messages), except that `mapKeys` fields may hold fewer keys. A JSON object is read without a
 * whole-object JSON.parse: the projecting reader skips unwanted values unbuilt and hands anything
 * off its fast path (malformed text, a repeated wanted key, an invalid value) to the reference.
 */
export function createJobDecoder(dataset: DatasetName, options: JobDecoderOptions): RecordDecoder {
  const reference = createRecordDecoder(dataset, { fields: options.fields });
  const spec = getDataset(dataset);
  const wanted = new Map<string, JsonFieldKind>(SCOPE_FIELDS.map((name) => [name, 'scope-id']));
  for (const name of options.fields) {
    const kind = spec.field(name)?.kind;
    if (kind !== undefined && !wanted.has(name)) wanted.set(name, kind);
  }
  const read = createProjectingJsonReader(wanted, options.mapKeys);
  return (bytes) => {
    const start = jsonObjectStart(bytes);
    if (start === -1) return reference(bytes);
    const record = read(bytes.toString('utf8', start));
    return record === undefined ? reference(bytes) : { ok: true, record };
  };
}
