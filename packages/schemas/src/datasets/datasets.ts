// The datasets Sluice ships (http_requests, access_requests) and their field lists.
import { SchemaError } from '../errors.js';
import { loadCatalog } from './catalog-loader.js';
import type { FieldKind } from './field-kind.js';

export type DatasetName = 'http_requests' | 'access_requests';

export const datasetNames: readonly DatasetName[] = Object.freeze(['http_requests', 'access_requests']);

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** The type text the catalog publishes, e.g. `int or string`, `array[int]`. */
  readonly type: string;
  readonly description: string;
  readonly deprecated: boolean;
  /** The Avro schema version that added the field: 1 for the published fields, 2+ for fields Sluice added later. */
  readonly schemaVersion: number;
}

export interface Dataset {
  readonly name: DatasetName;
  /** Whether jobs for this dataset live under a zone or an account. */
  readonly scope: 'zone' | 'account';
  /** Catalog fields in catalog order (the scope fields `_zone_id`/`_account_id` are not among them). */
  readonly fields: readonly FieldSpec[];
  readonly fieldNames: readonly string[];
  field(name: string): FieldSpec | undefined;
}

export function isDatasetName(value: unknown): value is DatasetName {
  return value === 'http_requests' || value === 'access_requests';
}

function buildDataset(name: DatasetName): Dataset {
  const catalog = loadCatalog(name);
  const byName = new Map(catalog.fields.map((field) => [field.name, field]));
  return Object.freeze({
    name,
    scope: catalog.scope,
    fields: catalog.fields,
    fieldNames: Object.freeze(catalog.fields.map((field) => field.name)),
    field: (fieldName: string) => byName.get(fieldName),
  });
}

// Loaded once, on first use of each dataset.
const cache = new Map<DatasetName, Dataset>();

/** The dataset's catalog; throws `SCHEMAS_UNKNOWN_DATASET` for any other name. */
export function getDataset(name: DatasetName): Dataset {
  let dataset = cache.get(name);
  if (dataset === undefined) {
    if (!isDatasetName(name)) {
      throw new SchemaError(
        'SCHEMAS_UNKNOWN_DATASET',
        `unknown dataset ${JSON.stringify(name)}; expected one of ${datasetNames.join(', ')}`,
      );
    }
    dataset = buildDataset(name);
    cache.set(name, dataset);
  }
  return dataset;
}
