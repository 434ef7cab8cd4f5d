// http_requests as a tail sees it: the catalog plus each custom field of the zone as a string field, `RequestHeaders.cf-access-user`.
import { getDataset } from '@sluice/schemas';
import type { Dataset, DatasetRecord, FieldSpec } from '@sluice/schemas';
import type { CustomFieldSet } from '@sluice/pipeline';

/** The map fields custom fields live in, and the lists of the zone's configuration that fill them. */
const MAPS = [
  ['RequestHeaders', 'requestHeaders', 'request header'],
  ['ResponseHeaders', 'responseHeaders', 'response header'],
  ['Cookies', 'cookies', 'cookie'],
] as const;

export interface TailDataset extends Dataset {
  /** The custom-field names (`RequestHeaders.cf-access-user`, …) with the map and key each reads. */
  readonly customFields: ReadonlyMap<string, { map: string; key: string }>;
  /** Copies each custom field's value out of its map into the record, under its dotted name. */
  flatten(record: DatasetRecord): void;
}

/**
 * The Logpush filter language compares no map, so a custom field becomes a field of its own here:
 * the pipeline's parseFilter, compileFilter and renderers then read it like any other string field.
 * Only the zone's configured custom fields exist: a tail shows no more than a job could deliver.
 */
export function tailDataset(fields: CustomFieldSet): TailDataset {
  const base = getDataset('http_requests');
  const customFields = new Map<string, { map: string; key: string }>();
  const specs = new Map<string, FieldSpec>();
  for (const [map, list, noun] of MAPS) {
    const mapSpec = base.field(map);
    if (mapSpec === undefined) continue;
    for (const key of fields[list]) {
      const name = `${map}.${key}`;
      customFields.set(name, { map, key });
      // Everything else (deprecation, schema version) is the map's own.
      specs.set(name, { ...mapSpec, name, kind: 'string', type: 'string', description: `the ${noun} ${key} (a custom field of the zone)` });
    }
  }
  const entries = [...customFields];
  return {
    name: base.name,
    scope: base.scope,
    fields: [...base.fields, ...specs.values()],
    fieldNames: [...base.fieldNames, ...specs.keys()],
    field: (name) => base.field(name) ?? specs.get(name),
    customFields,
    flatten(record) {
      for (const [name, { map, key }] of entries) {
        const values = record[map];
        record[name] = typeof values === 'object' && values !== null ? (values as Record<string, unknown>)[key] : undefined;
      }
    },
  };
}
