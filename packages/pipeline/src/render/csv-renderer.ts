// Renders a record in Logpush's CSV layout: values only, joined by the field delimiter.
//
// Logpush publishes one CSV example (`"89.163.242.206",1506702504433000200,"3a6050bcbe121a87"`) and
// no escaping rules, so Sluice takes the RFC 4180 reading of it, which any CSV parser accepts
// (the encoders are in csv-value-encoders.ts):
// - strings are always wrapped in `"`, with an inner `"` doubled; newlines, commas, tabs and any
//   Unicode (emoji, U+2028) stay as they are inside the quotes, so no field delimiter a job can
//   choose (`,`, `\t`, `|`) ends a string early and nothing is lost to escaping;
// - ints, floats and bools are bare (`200`, `0.5`, `true`), as in the published example;
// - timestamps are bare integers for unixnano/unix and quoted strings for rfc3339*, the same
//   split as NDJSON;
// - maps and arrays are their JSON text quoted as a CSV string (`"{""a"":""b""}"`): a nested value
//   has no CSV form of its own, and JSON keeps its types and exact big integers;
// - an absent value (missing or null) is an empty field, nothing between the delimiters, which
//   stays distinct from an empty string (`""`). A float JSON cannot carry (NaN, ±Infinity) is
//   also empty, as NDJSON renders it `null`.
// There is no header line: Logpush's way to get one is a batch_prefix such as `ClientIP,RayID\n`.
import type { Dataset } from '@sluice/schemas';
import { CSV_VALUES } from './csv-value-encoders.js';
import { delimitedFragments, encodersFor, rendererFromFragments } from './record-renderer.js';
import type { RecordRenderer } from './record-renderer.js';
import type { TimestampFormat } from './value-encoders.js';

export interface CsvOptions {
  fieldNames: readonly string[];
  timestampFormat: TimestampFormat;
  /** Written before the first value; default empty. */
  recordPrefix?: string;
  /** Written after the last value; default `\n` (Logpush's CSV default). */
  recordSuffix?: string;
  /** Written between values; default `,` (`\t` gives TSV). */
  fieldDelimiter?: string;
}

/** `"89.163.242.206",1506702504433000200,"3a6050bcbe121a87"` plus a newline with the defaults. */
export function createCsvRenderer(dataset: Dataset, options: CsvOptions): RecordRenderer {
  const { fieldNames } = options;
  const fragments = delimitedFragments(fieldNames, options.recordPrefix ?? '', options.fieldDelimiter ?? ',', options.recordSuffix ?? '\n', () => '');
  const encoders = encodersFor(dataset, fieldNames, CSV_VALUES, options.timestampFormat);
  return rendererFromFragments(fragments, fieldNames, encoders, CSV_VALUES.absent);
}
