// Reads and validates the dataset catalogs in packages/schemas/catalog/ (our copies of the published field lists).
import { readFileSync } from 'node:fs';
import { SchemaError } from '../errors.js';
import { kindForCatalogType } from './field-kind.js';
import type { FieldKind } from './field-kind.js';

export interface CatalogField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly type: string;
  readonly description: string;
  readonly deprecated: boolean;
  /** The Avro schema version that added the field (`schema_version` in the catalog); 1 for the published fields. */
  readonly schemaVersion: number;
}

export interface Catalog {
  readonly dataset: string;
  readonly scope: 'zone' | 'account';
  readonly fields: readonly CatalogField[];
}

// Compiled code lives in dist/src/datasets/, the catalogs in catalog/ at the package root.
const CATALOG_DIR = new URL('../../../catalog/', import.meta.url);

// Valid Avro names starting with a letter: a leading underscore is reserved for the scope fields.
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function fail(file: string, problem: string): never {
  throw new SchemaError('SCHEMAS_BAD_CATALOG', `catalog ${file}: ${problem}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseField(file: string, raw: unknown, index: number): CatalogField {
  if (!isObject(raw)) fail(file, `fields[${index}] is not an object`);
  const { name, type, description, deprecated, values, schema_version: schemaVersion } = raw;
  if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
    fail(file, `fields[${index}].name ${JSON.stringify(name)} is not a valid field name`);
  }
  if (typeof type !== 'string') fail(file, `field ${name} has no type text`);
  if (values !== undefined && typeof values !== 'string') fail(file, `field ${name} has a non-string "values"`);
  const kind = kindForCatalogType(type, values);
  if (kind === undefined) {
    fail(file, `field ${name} has unsupported type ${JSON.stringify(type)}${values === undefined ? '' : ` with values ${values}`}`);
  }
  if (description !== undefined && typeof description !== 'string') fail(file, `field ${name} has a non-string description`);
  if (deprecated !== undefined && typeof deprecated !== 'boolean') fail(file, `field ${name} has a non-boolean "deprecated"`);
  if (schemaVersion !== undefined && (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1)) {
    fail(file, `field ${name} has "schema_version" ${JSON.stringify(schemaVersion)}; expected an integer ≥ 1, e.g. 2`);
  }
  return Object.freeze({ name, kind, type, description: description ?? '', deprecated: deprecated ?? false, schemaVersion: schemaVersion ?? 1 });
}

/** Parses one catalog document; throws `SCHEMAS_BAD_CATALOG` naming the problem. */
export function parseCatalog(file: string, raw: unknown): Catalog {
  if (!isObject(raw)) fail(file, 'top level is not an object');
  const { dataset, scope, fields } = raw;
  if (typeof dataset !== 'string') fail(file, 'missing "dataset"');
  if (scope !== 'zone' && scope !== 'account') fail(file, `scope ${JSON.stringify(scope)} is not "zone" or "account"`);
  if (!Array.isArray(fields) || fields.length === 0) fail(file, 'missing "fields"');
  const parsed = fields.map((field, index) => parseField(file, field, index));
  const seen = new Set<string>();
  for (const field of parsed) {
    if (seen.has(field.name)) fail(file, `field ${field.name} appears twice`);
    seen.add(field.name);
  }
  return Object.freeze({ dataset, scope, fields: Object.freeze(parsed) });
}

/** Loads `catalog/<dataset>.json`; the file's `dataset` must match its name. */
export function loadCatalog(dataset: string): Catalog {
  const file = `${dataset}.json`;
  let text: string;
  try {
    text = readFileSync(new URL(file, CATALOG_DIR), 'utf8');
  } catch (cause) {
    throw new SchemaError('SCHEMAS_BAD_CATALOG', `catalog ${file} cannot be read`, { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new SchemaError('SCHEMAS_BAD_CATALOG', `catalog ${file} is not valid JSON`, { cause });
  }
  const catalog = parseCatalog(file, raw);
  if (catalog.dataset !== dataset) fail(file, `declares dataset ${JSON.stringify(catalog.dataset)}`);
  return catalog;
}
