// Decodes Kafka message values of any supported format (single-object Avro, JSON) into records.
import { AvroBodyReader } from './avro/body-reader.js';
import { findKnownSchema, knownSchemasFor } from './avro/known-schemas.js';
import { createReadPlan } from './avro/read-plan.js';
import { fingerprintHex, SINGLE_OBJECT_HEADER_BYTES, SINGLE_OBJECT_MARKER_0, SINGLE_OBJECT_MARKER_1 } from './avro/single-object.js';
import { getDataset } from './datasets/datasets.js';
import type { Dataset, DatasetName } from './datasets/datasets.js';
import type { FieldKind } from './datasets/field-kind.js';
import { SchemaError } from './errors.js';
import type { JsonFieldKind } from './json/coerce.js';
import { createJsonReader } from './json/json-reader.js';
import type { DecodeResult, DecoderOptions, RecordDecoder } from './record.js';
import { SCOPE_FIELDS } from './scope.js';

interface VersionReader {
  readonly low: number;
  readonly high: number;
  readonly reader: AvroBodyReader;
}

/** Field name → kind for the scope fields plus the selected (or all) dataset fields. */
function wantedFields(dataset: Dataset, fields: readonly string[] | undefined): Map<string, FieldKind> {
  const wanted = new Map<string, FieldKind>(SCOPE_FIELDS.map((name) => [name, 'string']));
  for (const name of fields ?? dataset.fieldNames) {
    if (wanted.has(name)) continue;
    const spec = dataset.field(name);
    if (spec === undefined) {
      throw new SchemaError('SCHEMAS_UNKNOWN_FIELD', `dataset ${dataset.name} has no field ${JSON.stringify(name)}`);
    }
    wanted.set(name, spec.kind);
  }
  return wanted;
}

function notARecord(message: string): DecodeResult {
  return { ok: false, code: 'DECODE_NOT_A_RECORD', message };
}

function unknownSchema(dataset: DatasetName, bytes: Buffer, known: readonly VersionReader[]): DecodeResult {
  const fingerprint = bytes.readBigUInt64LE(2);
  const other = findKnownSchema(fingerprint);
  const hint =
    other === undefined
      ? `known ${dataset} fingerprints: ${known.map((version) => fingerprintOf(version)).join(', ')}`
      : `it is the fingerprint of ${other.schema.namespace}.${other.schema.name}: was the message published to the wrong topic?`;
  return {
    ok: false,
    code: 'DECODE_UNKNOWN_SCHEMA',
    message: `unknown schema fingerprint ${fingerprintHex(bytes)} for dataset ${dataset} (${hint})`,
  };
}

function fingerprintOf(version: VersionReader): string {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32LE(version.low, 0);
  bytes.writeUInt32LE(version.high, 4);
  return bytes.toString('hex');
}

// The JSON texts a first byte may start, other than an object; for a clearer message.
const OTHER_JSON_START = new Set([...'["-0123456789tfn'].map((char) => char.charCodeAt(0)));

function describeStart(bytes: Buffer, at: number): string {
  if (at >= bytes.length) return bytes.length === 0 ? 'empty message' : 'message holds only whitespace';
  const first = bytes[at];
  if (OTHER_JSON_START.has(first)) return 'a JSON value that is not an object';
  const shown = [...bytes.subarray(at, at + 4)].map((byte) => `0x${byte.toString(16).padStart(2, '0')}`).join(' ');
  return `unrecognized format (starts with ${shown}; expected single-object Avro, C3 01, or a JSON object)`;
}

/**
 * A decoder for one dataset. It recognises the format by its first bytes: `C3 01` is Avro
 * single-object encoding (any known schema version of the dataset, found by fingerprint); `{`
 * after optional whitespace or a UTF-8 BOM is a JSON object. With `fields`, only those fields
 * (plus `_zone_id`/`_account_id`) are materialized and the rest of an Avro body is skipped.
 * Throws (`SCHEMAS_UNKNOWN_FIELD`) only while being created; the decoder itself never throws.
 */
export function createRecordDecoder(dataset: DatasetName, options: DecoderOptions = {}): RecordDecoder {
  const spec = getDataset(dataset);
  const wanted = wantedFields(spec, options.fields);
  const versions: readonly VersionReader[] = knownSchemasFor(dataset).map((known) => ({
    low: known.low,
    high: known.high,
    reader: new AvroBodyReader(createReadPlan(known.schema, wanted)),
  }));
  const jsonWanted = new Map<string, JsonFieldKind>(wanted);
  for (const name of SCOPE_FIELDS) jsonWanted.set(name, 'scope-id');
  const readJson = createJsonReader(dataset, jsonWanted);

  const readAvro = (bytes: Buffer): DecodeResult => {
    if (bytes.length < SINGLE_OBJECT_HEADER_BYTES) {
      return { ok: false, code: 'DECODE_BAD_AVRO', message: `truncated single-object header (${bytes.length} bytes)` };
    }
    const low = bytes.readUInt32LE(2);
    const high = bytes.readUInt32LE(6);
    for (const version of versions) {
      if (version.low === low && version.high === high) return version.reader.read(bytes, SINGLE_OBJECT_HEADER_BYTES);
    }
    return unknownSchema(dataset, bytes, versions);
  };

  return (bytes) => {
    if (bytes[0] === SINGLE_OBJECT_MARKER_0) {
      return bytes[1] === SINGLE_OBJECT_MARKER_1 ? readAvro(bytes) : notARecord(describeStart(bytes, 0));
    }
    let at = 0;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) at = 3; // UTF-8 BOM
    for (let byte = bytes[at]; byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09; byte = bytes[++at]);
    if (bytes[at] === 0x7b) return readJson(bytes, at);
    return notARecord(describeStart(bytes, at));
  };
}
