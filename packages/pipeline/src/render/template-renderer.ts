// Renders a record through a parsed record_template, wrapped in the record prefix and suffix.
import type { Dataset } from '@sluice/schemas';
import { encodersFor, rendererFromFragments } from './record-renderer.js';
import type { RecordRenderer } from './record-renderer.js';
import type { TemplatePart } from './record-template.js';
import type { TimestampFormat, ValueEncoding } from './value-encoders.js';

export interface TemplateOptions {
  parts: readonly TemplatePart[];
  /** The job's field_names: a template field outside them renders as absent (Logpush's rule). */
  fieldNames: readonly string[];
  /** JSON values for ndjson, CSV values for csv. */
  encoding: ValueEncoding;
  timestampFormat: TimestampFormat;
  recordPrefix: string;
  recordSuffix: string;
}

/**
 * The template's text, the record prefix and suffix, and the fixed `null` (or empty CSV field) of
 * every template field outside field_names are folded into fragments once; per record only the
 * selected fields are looked up. The field delimiter plays no part: the template places the fields.
 */
export function createTemplateRenderer(dataset: Dataset, options: TemplateOptions): RecordRenderer {
  const selected = new Set(options.fieldNames);
  const fragments = [options.recordPrefix];
  const names: string[] = [];
  for (const part of options.parts) {
    if (part.kind === 'text') fragments[fragments.length - 1] += part.text;
    else if (selected.has(part.name)) {
      names.push(part.name);
      fragments.push('');
    } else fragments[fragments.length - 1] += options.encoding.absent;
  }
  fragments[fragments.length - 1] += options.recordSuffix;
  const encoders = encodersFor(dataset, names, options.encoding, options.timestampFormat);
  return rendererFromFragments(fragments, names, encoders, options.encoding.absent);
}
