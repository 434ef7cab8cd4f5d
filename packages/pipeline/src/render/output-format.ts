// A job's output options with every default applied: what the renderer and the batch framing are built from.
import type { OutputOptionsDocument } from '../job/job-schema.js';
import type { TimestampFormat } from './value-encoders.js';

export type OutputType = 'ndjson' | 'csv';

export interface OutputFormat {
  outputType: OutputType;
  batchPrefix: string;
  batchSuffix: string;
  recordPrefix: string;
  recordSuffix: string;
  recordDelimiter: string;
  /** Ignored when a record template is set. */
  fieldDelimiter: string;
  /** The `record_template` text as written (validated), or undefined for the default layout. */
  recordTemplate: string | undefined;
  timestampFormat: TimestampFormat;
  /** CVE-2021-44228: every `${` in the output becomes `x{`. */
  escapeJndi: boolean;
}

const DEFAULTS: Record<OutputType, Pick<OutputFormat, 'recordPrefix' | 'recordSuffix' | 'fieldDelimiter' | 'recordDelimiter'>> = {
  ndjson: { recordPrefix: '{', recordSuffix: '}\n', fieldDelimiter: ',', recordDelimiter: '' },
  csv: { recordPrefix: '', recordSuffix: '\n', fieldDelimiter: ',', recordDelimiter: '' },
};

/** Logpush's defaults: the output type sets prefixes and delimiters; an option sent as null means its default. */
export function resolveOutputFormat(options: OutputOptionsDocument | null | undefined): OutputFormat {
  const o = options ?? {};
  const outputType: OutputType = o.output_type ?? 'ndjson';
  const defaults = DEFAULTS[outputType];
  return {
    outputType,
    batchPrefix: o.batch_prefix ?? '',
    batchSuffix: o.batch_suffix ?? '',
    recordPrefix: o.record_prefix ?? defaults.recordPrefix,
    recordSuffix: o.record_suffix ?? defaults.recordSuffix,
    recordDelimiter: o.record_delimiter ?? defaults.recordDelimiter,
    fieldDelimiter: o.field_delimiter ?? defaults.fieldDelimiter,
    recordTemplate: o.record_template || undefined,
    timestampFormat: o.timestamp_format ?? 'unixnano',
    escapeJndi: (o['CVE-2021-44228'] ?? false) || (o['CVE-2021-4428'] ?? false),
  };
}
