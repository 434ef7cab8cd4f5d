// Elasticsearch's wire encoding: each record a `create` action under its job-partition-offset `_id` and the document, in `_bulk` bodies of bounded size.
import { withoutLineBreak } from '../wire/wire-encoding.js';
import type { WireEncoding } from '../wire/wire-encoding.js';

/**
 * `create`, not `index`: a document whose `_id` exists is answered 409 and left alone, so a
 * replayed batch never duplicates or overwrites anything. The `_id` is `<jobId>-<partition>-<offset>`
 * (the source and offset the batch builder passes). A record that is not one JSON object on one
 * line (CSV, a template) makes the batch unfit: refusing each would dead-letter the job's output.
 */
export function bulkWireEncoding(maxRequestBytes: number): WireEncoding {
  return {
    name: `elasticsearch-bulk-create:${maxRequestBytes}`,
    encodeRecord(record, offset, source) {
      const document = withoutLineBreak(record);
      if (!document.startsWith('{') || document.includes('\n')) {
        return {
          unfit: {
            code: 'ES_BATCH_NOT_NDJSON',
            message: `the record at offset ${offset} is not one JSON object on one line; Elasticsearch needs one JSON document per record: set the job's output_type to "ndjson"`,
          },
        };
      }
      return `{"create":{"_id":${JSON.stringify(`${source}-${offset}`)}}}\n${document}\n`;
    },
    requestPrefix: '',
    requestSuffix: '',
    recordDelimiter: '',
    maxRequestBytes,
  };
}
