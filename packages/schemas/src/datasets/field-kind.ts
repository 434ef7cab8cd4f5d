// Maps the catalogs' published type text onto the value kinds Sluice carries in memory.

/**
 * How a field's value is carried in a decoded record (see `DatasetRecord`):
 * - `string`: string
 * - `int`: number when it is a safe integer, bigint beyond `Number.MAX_SAFE_INTEGER` (int64 range)
 * - `float`: number
 * - `bool`: boolean
 * - `map`: plain object of string → string (RequestHeaders, ResponseHeaders, Cookies)
 * - `float-map`: plain object of string → number (JA4Signals, whose values are ratios and ranks)
 * - `string[]`, `int[]`: arrays (int elements as for `int`)
 * - `timestamp`: always a bigint, nanoseconds since the Unix epoch (the catalogs' `int or string`)
 */
export type FieldKind =
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'map'
  | 'float-map'
  | 'string[]'
  | 'int[]'
  | 'timestamp';

const SIMPLE_KINDS: Readonly<Record<string, FieldKind>> = {
  string: 'string',
  int: 'int',
  float: 'float',
  bool: 'bool',
  'array[string]': 'string[]',
  'array[int]': 'int[]',
  // Logpush renders timestamps as an int or a string depending on `timestamp_format`; we carry
  // them as exact nanoseconds and leave the format to the renderer.
  'int or string': 'timestamp',
};

/**
 * The kind of a catalog field, or undefined when the type text is unknown.
 * `object` fields are string-keyed maps; their value type comes from the catalog entry's
 * `values` key (`string` when absent, `float` for JA4Signals).
 */
export function kindForCatalogType(type: string, values: string | undefined): FieldKind | undefined {
  if (type === 'object') {
    if (values === undefined || values === 'string') return 'map';
    if (values === 'float') return 'float-map';
    return undefined;
  }
  if (values !== undefined) return undefined;
  return SIMPLE_KINDS[type];
}
