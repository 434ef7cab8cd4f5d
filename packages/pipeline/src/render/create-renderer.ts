// Builds a job's record renderer and batch framing from its resolved output format: the one place layouts are chosen.
import type { Dataset } from '@sluice/schemas';
import type { BatchFraming } from '../batch/gzip-batch.js';
import { createCsvRenderer } from './csv-renderer.js';
import { CSV_VALUES } from './csv-value-encoders.js';
import { createNdjsonRenderer } from './ndjson-renderer.js';
import type { OutputFormat } from './output-format.js';
import type { RecordRenderer } from './record-renderer.js';
import { parseRecordTemplate } from './record-template.js';
import { createTemplateRenderer } from './template-renderer.js';
import { JSON_VALUES } from './value-encoders.js';

export interface RecordRendererOptions {
  /** The job's field_names, in output order. */
  fieldNames: readonly string[];
  format: OutputFormat;
}

/**
 * A template if the job has one (its values encoded as the output type's), else the output type's
 * own layout. The job was validated first, so a bad template or field here is a programming error.
 */
export function createRecordRenderer(dataset: Dataset, options: RecordRendererOptions): RecordRenderer {
  const { fieldNames, format } = options;
  const { timestampFormat, recordPrefix, recordSuffix, fieldDelimiter } = format;
  if (format.recordTemplate !== undefined) {
    const template = parseRecordTemplate(format.recordTemplate);
    if (!template.ok) throw new Error(`renderer: record_template was not validated: ${template.message}`);
    const encoding = format.outputType === 'csv' ? CSV_VALUES : JSON_VALUES;
    return createTemplateRenderer(dataset, { parts: template.parts, fieldNames, encoding, timestampFormat, recordPrefix, recordSuffix });
  }
  const layout = { fieldNames, timestampFormat, recordPrefix, recordSuffix, fieldDelimiter };
  return format.outputType === 'csv' ? createCsvRenderer(dataset, layout) : createNdjsonRenderer(dataset, layout);
}

/** What the batch writes around and between records, and whether it defuses `${` (CVE-2021-44228). */
export function framingFor(format: OutputFormat): BatchFraming {
  return {
    batchPrefix: format.batchPrefix,
    batchSuffix: format.batchSuffix,
    recordDelimiter: format.recordDelimiter,
    escapeJndi: format.escapeJndi,
  };
}
