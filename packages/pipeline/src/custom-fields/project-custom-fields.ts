// The project stage for custom fields: only names the zone lists survive in RequestHeaders, ResponseHeaders and Cookies.
import type { DatasetRecord } from '@sluice/schemas';
import type { CustomFieldSet } from './custom-field-set.js';

/** Rewrites a decoded record in place; fields the job does not deliver are left alone (they are not decoded). */
export type RecordProjector = (record: DatasetRecord) => void;

type Picker = (map: Record<string, unknown>) => Record<string, unknown>;

/**
 * Header names match case-insensitively (HTTP header names are) and come out in their configured
 * lower-case spelling; cookie names match exactly. Kept names come out in configuration order, so
 * every record of a zone has the same key order.
 */
export function createCustomFieldProjector(fields: CustomFieldSet, fieldNames: readonly string[]): RecordProjector | undefined {
  const steps: [string, Picker][] = [];
  if (fieldNames.includes('RequestHeaders')) steps.push(['RequestHeaders', headerPicker(fields.requestHeaders)]);
  if (fieldNames.includes('ResponseHeaders')) steps.push(['ResponseHeaders', headerPicker(fields.responseHeaders)]);
  if (fieldNames.includes('Cookies')) steps.push(['Cookies', exactPicker(fields.cookies)]);
  if (steps.length === 0) return undefined;
  return (record) => {
    for (const [field, pick] of steps) {
      const value = record[field];
      if (value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        record[field] = pick(value as Record<string, unknown>);
      } else if (value !== undefined && value !== null) {
        // Not a map: nothing in it can be a listed header, so nothing of it may be delivered.
        record[field] = {};
      }
    }
  };
}

function exactPicker(names: readonly string[]): Picker {
  if (names.length === 0) return () => ({});
  return (map) => {
    const kept: Record<string, unknown> = {};
    for (const name of names) {
      if (Object.hasOwn(map, name)) kept[name] = map[name];
    }
    return kept;
  };
}

function headerPicker(names: readonly string[]): Picker {
  if (names.length === 0) return () => ({});
  const exact = exactPicker(names);
  const wanted = new Set(names);
  return (map) => {
    const kept = exact(map);
    // Only when the record holds a name in another case is the slower, case-folding pass needed.
    for (const key in map) {
      if (!Object.hasOwn(map, key) || Object.hasOwn(kept, key)) continue;
      const lower = key.toLowerCase();
      if (lower !== key && wanted.has(lower) && !Object.hasOwn(kept, lower)) return foldCase(map, names);
    }
    return kept;
  };
}

function foldCase(map: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const lowered = new Map<string, unknown>();
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    const lower = key.toLowerCase();
    if (!lowered.has(lower)) lowered.set(lower, map[key]);
  }
  const kept: Record<string, unknown> = {};
  for (const name of names) {
    if (lowered.has(name)) kept[name] = lowered.get(name);
  }
  return kept;
}
