// Avro record schemas for each dataset: every field a nullable union, scope fields first.
import { getDataset } from '../datasets/datasets.js';
import type { DatasetName, FieldSpec } from '../datasets/datasets.js';
import type { FieldKind } from '../datasets/field-kind.js';
import { ACCOUNT_ID_FIELD, ZONE_ID_FIELD } from '../scope.js';

export const AVRO_NAMESPACE = 'sluice';

export type AvroValueType =
  | 'string'
  | 'long'
  | 'double'
  | 'boolean'
  | { readonly type: 'long'; readonly logicalType: 'timestamp-nanos' }
  | { readonly type: 'map'; readonly values: 'string' | 'double' }
  | { readonly type: 'array'; readonly items: 'string' | 'long' };

export interface AvroField {
  readonly name: string;
  readonly type: readonly ['null', AvroValueType];
  readonly default: null;
  readonly doc?: string;
}

export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace: string;
  readonly doc?: string;
  readonly fields: readonly AvroField[];
}

/** The Avro type that carries each field kind (always wrapped in `["null", T]`). */
export function avroTypeForKind(kind: FieldKind): AvroValueType {
  switch (kind) {
    case 'string':
      return 'string';
    case 'int':
      return 'long';
    case 'float':
      return 'double';
    case 'bool':
      return 'boolean';
    case 'timestamp':
      return { type: 'long', logicalType: 'timestamp-nanos' };
    case 'map':
      return { type: 'map', values: 'string' };
    case 'float-map':
      return { type: 'map', values: 'double' };
    case 'string[]':
      return { type: 'array', items: 'string' };
    case 'int[]':
      return { type: 'array', items: 'long' };
  }
}

function nullable(name: string, type: AvroValueType, doc: string): AvroField {
  return doc === '' ? { name, type: ['null', type], default: null } : { name, type: ['null', type], default: null, doc };
}

function catalogField(field: FieldSpec): AvroField {
  return nullable(field.name, avroTypeForKind(field.kind), field.description);
}

/**
 * Version `version` of a dataset's schema, generated from the catalog: the fields whose
 * `schema_version` is at most `version`, in catalog order. The scope fields come first so that a
 * decoder keeping only a few fields can stop reading early. A published version never changes
 * (fields are only ever added in a new version); tests pin the fingerprints.
 */
function buildVersion(dataset: DatasetName, version: number): AvroRecordSchema {
  const { fields, scope } = getDataset(dataset);
  return {
    type: 'record',
    name: `${dataset}_v${version}`,
    namespace: AVRO_NAMESPACE,
    doc: `Sluice ${dataset} record (${scope}-scoped), version ${version}.`,
    fields: [
      nullable(ZONE_ID_FIELD, 'string', 'Zone id (32 lowercase hex) the record belongs to.'),
      nullable(ACCOUNT_ID_FIELD, 'string', 'Account id (32 lowercase hex) the record belongs to.'),
      ...fields.filter((field) => field.schemaVersion <= version).map(catalogField),
    ],
  };
}

/**
 * Every schema version a producer may have written for the dataset, oldest first; the last one
 * is what encoders write. Decoders recognise all of them by fingerprint.
 */
export function schemaVersionsFor(dataset: DatasetName): readonly AvroRecordSchema[] {
  const newest = Math.max(1, ...getDataset(dataset).fields.map((field) => field.schemaVersion));
  return Array.from({ length: newest }, (_, index) => buildVersion(dataset, index + 1));
}

/** The current (newest) Avro schema of a dataset; a fresh object on every call. */
export function avroSchemaFor(dataset: DatasetName): AvroRecordSchema {
  const versions = schemaVersionsFor(dataset);
  return versions[versions.length - 1];
}
