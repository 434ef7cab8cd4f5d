// Encodes records as single-object Avro with the dataset's current schema.
import type { Type } from 'avsc';
import { getDataset } from '../datasets/datasets.js';
import type { DatasetName } from '../datasets/datasets.js';
import { SchemaError } from '../errors.js';
import type { DatasetRecord, RecordEncoder } from '../record.js';
import { ACCOUNT_ID_FIELD, isHexId, ZONE_ID_FIELD } from '../scope.js';
import { createAvscType } from './exact-long.js';
import { avroSchemaFor } from './schema.js';
import { SINGLE_OBJECT_HEADER_BYTES, singleObjectHeader } from './single-object.js';

// Records are ~1 KB; the scratch buffer grows when one does not fit.
const INITIAL_SCRATCH_BYTES = 64 * 1024;

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Names the first invalid field; only runs after an encode failed, so it may be slow. */
function explainInvalid(type: Type, dataset: DatasetName, record: DatasetRecord, cause: unknown): SchemaError {
  let problem: string | undefined;
  type.isValid(record, {
    errorHook: (path, value) => {
      if (problem !== undefined) return;
      const [name = '?', ...rest] = path;
      const kind = getDataset(dataset).field(name)?.kind ?? 'string';
      const where = rest.length > 0 ? `${name} (at ${rest.join('.')})` : name;
      problem = `field ${where}: ${describe(value)} is not a valid ${kind}`;
    },
  });
  return new SchemaError('SCHEMAS_INVALID_RECORD', `cannot encode ${dataset} record: ${problem ?? String(cause)}`, { cause });
}

function checkScopeId(dataset: DatasetName, record: DatasetRecord, field: string): void {
  const value = record[field];
  if (value !== undefined && value !== null && !isHexId(value)) {
    throw new SchemaError(
      'SCHEMAS_INVALID_RECORD',
      `cannot encode ${dataset} record: field ${field}: ${describe(value)} is not a 32-digit lowercase hex id`,
    );
  }
}

/**
 * An encoder writing the dataset's current schema as single-object Avro. Each call returns a
 * new Buffer (safe to keep); `null`/`undefined` fields are written as absent; keys that are not
 * fields are ignored. Invalid values throw `SCHEMAS_INVALID_RECORD` naming the field.
 */
export function createRecordEncoder(dataset: DatasetName): RecordEncoder {
  const type = createAvscType(avroSchemaFor(dataset));
  let scratch = Buffer.allocUnsafe(INITIAL_SCRATCH_BYTES);
  singleObjectHeader(type).copy(scratch, 0);

  return (record) => {
    checkScopeId(dataset, record, ZONE_ID_FIELD);
    checkScopeId(dataset, record, ACCOUNT_ID_FIELD);
    let end: number;
    try {
      end = type.encode(record, scratch, SINGLE_OBJECT_HEADER_BYTES);
      if (end < 0) {
        // avsc reports the missing byte count as a negative number.
        const grown = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - end));
        scratch.copy(grown, 0, 0, SINGLE_OBJECT_HEADER_BYTES);
        scratch = grown;
        end = type.encode(record, scratch, SINGLE_OBJECT_HEADER_BYTES);
      }
    } catch (cause) {
      throw explainInvalid(type, dataset, record, cause);
    }
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };
}
