// Renders a record in Logpush's NDJSON layout: `"Name":<json>` pairs between the record prefix and suffix.
import type { Dataset } from '@sluice/schemas';
import { delimitedFragments, encodersFor, rendererFromFragments } from './record-renderer.js';
import type { RecordRenderer } from './record-renderer.js';
import { JSON_VALUES } from './value-encoders.js';
import type { TimestampFormat } from './value-encoders.js';

// Kept here too so that code importing the type from its first home still compiles.
export type { RecordRenderer } from './record-renderer.js';

export interface NdjsonOptions {
  fieldNames: readonly string[];
  timestampFormat: TimestampFormat;
  /** Written before the first pair; default `{` (Logpush's NDJSON default). */
  recordPrefix?: string;
  /** Written after the last pair; default `}\n`. */
  recordSuffix?: string;
  /** Written between pairs; default `,`. */
  fieldDelimiter?: string;
}

/**
 * `{"ClientIP":"89.163.242.206","EdgeStartTimestamp":1506702504433000200}` plus a newline with the
 * defaults. Absent values render as `null` so that every line has the same keys in the same order.
 */
export function createNdjsonRenderer(dataset: Dataset, options: NdjsonOptions): RecordRenderer {
  const { fieldNames } = options;
  const fragments = delimitedFragments(fieldNames, options.recordPrefix ?? '{', options.fieldDelimiter ?? ',', options.recordSuffix ?? '}\n', (name) => `${JSON.stringify(name)}:`);
  const encoders = encodersFor(dataset, fieldNames, JSON_VALUES, options.timestampFormat);
  return rendererFromFragments(fragments, fieldNames, encoders, JSON_VALUES.absent);
}
