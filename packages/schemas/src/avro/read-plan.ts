// Turns a writer schema plus the wanted fields into the flat plan the body reader follows.
import type { FieldKind } from '../datasets/field-kind.js';
import { SchemaError } from '../errors.js';
import type { AvroRecordSchema } from './schema.js';
import { avroTypeForKind } from './schema.js';

/** Value encodings the body reader knows; every field is `["null", <one of these>]`. */
export const KIND = {
  string: 1,
  long: 2,
  timestamp: 3,
  double: 4,
  boolean: 5,
  stringMap: 6,
  doubleMap: 7,
  stringArray: 8,
  longArray: 9,
} as const;

const KIND_OF: Readonly<Record<FieldKind, number>> = {
  string: KIND.string,
  int: KIND.long,
  timestamp: KIND.timestamp,
  float: KIND.double,
  bool: KIND.boolean,
  map: KIND.stringMap,
  'float-map': KIND.doubleMap,
  'string[]': KIND.stringArray,
  'int[]': KIND.longArray,
};

// Avro value type (as JSON text) → field kind, the inverse of avroTypeForKind.
const FIELD_KIND_OF_AVRO = new Map<string, FieldKind>(
  (Object.keys(KIND_OF) as FieldKind[]).map((kind) => [JSON.stringify(avroTypeForKind(kind)), kind]),
);

export interface ReadPlan {
  readonly schemaName: string;
  /** Per writer field, in writer order. */
  readonly names: readonly string[];
  readonly kinds: Uint8Array;
  /** 1 where the field is materialized, 0 where it is skipped. */
  readonly keep: Uint8Array;
  /** Index of the last kept field: reading stops there. */
  readonly stopAfter: number;
  /** Whether reading goes through the last writer field, so trailing bytes can be detected. */
  readonly readsAll: boolean;
}

function unsupported(schema: AvroRecordSchema, problem: string): never {
  throw new SchemaError('SCHEMAS_UNSUPPORTED_SCHEMA', `writer schema ${schema.namespace}.${schema.name}: ${problem}`);
}

/**
 * A plan reading `writer` records and keeping the fields in `wanted` (name → kind the reader
 * expects). Wanted fields the writer lacks are simply absent; writer fields not wanted are
 * skipped. A wanted field whose kind changed between versions is a schema bug and throws.
 */
export function createReadPlan(writer: AvroRecordSchema, wanted: ReadonlyMap<string, FieldKind>): ReadPlan {
  const count = writer.fields.length;
  const kinds = new Uint8Array(count);
  const keep = new Uint8Array(count);
  let stopAfter = -1;
  writer.fields.forEach((field, index) => {
    const [nullType, valueType] = field.type;
    const kind = FIELD_KIND_OF_AVRO.get(JSON.stringify(valueType));
    if (nullType !== 'null' || kind === undefined) {
      unsupported(writer, `field ${field.name} has type ${JSON.stringify(field.type)}, not ["null", <supported type>]`);
    }
    kinds[index] = KIND_OF[kind];
    const wantedKind = wanted.get(field.name);
    if (wantedKind === undefined) return;
    if (wantedKind !== kind) unsupported(writer, `field ${field.name} is ${kind} but readers expect ${wantedKind}`);
    keep[index] = 1;
    stopAfter = index;
  });
  return {
    schemaName: `${writer.namespace}.${writer.name}`,
    names: writer.fields.map((field) => field.name),
    kinds,
    keep,
    stopAfter,
    readsAll: stopAfter === count - 1,
  };
}
