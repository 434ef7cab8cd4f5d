// Renders a record as one Logpush NDJSON line, from fragments computed once per job.
import type { Dataset, DatasetRecord } from '@sluice/schemas';
import { valueEncoder } from './value-encoders.js';
import type { TimestampFormat, ValueEncoder } from './value-encoders.js';

export type RecordRenderer = (record: DatasetRecord) => string;

export interface NdjsonOptions {
  fieldNames: readonly string[];
  timestampFormat: TimestampFormat;
}

/**
 * `{"ClientIP":"89.163.242.206","EdgeStartTimestamp":1506702504433000200}` plus a newline.
 * Absent values render as `null` so that every line has the same keys in the same order.
 */
export function createNdjsonRenderer(dataset: Dataset, options: NdjsonOptions): RecordRenderer {
  const names = options.fieldNames;
  const prefixes = names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  const encoders: ValueEncoder[] = names.map((name) => {
    const spec = dataset.field(name);
    if (!spec) throw new Error(`renderer: ${name} is not a field of ${dataset.name}`);
    return valueEncoder(spec.kind, options.timestampFormat);
  });
  const count = names.length;
  return (record) => {
    let line = '';
    for (let i = 0; i < count; i++) {
      const value = record[names[i]];
      line += (prefixes[i]) + (value === undefined || value === null ? 'null' : (encoders[i])(value));
    }
    return `${line}}\n`;
  };
}
