// HEC's wire encoding: each record a raw line or an event envelope, newline-framed, in requests of bounded size.
import { withoutLineBreak } from '../wire/wire-encoding.js';
import type { WireEncoding } from '../wire/wire-encoding.js';
import { createEventRecordEncoder, encodeRawRecord, isRecordLine } from './hec-encoder.js';
import type { SplunkHecConfig } from './splunk-config.js';

/**
 * Blank records send nothing (HEC would refuse a blank event). Every request is lines, one per
 * record, so a part HEC finds too large can be split again at its line breaks.
 */
export function hecWireEncoding(config: SplunkHecConfig, maxRequestBytes: number): WireEncoding {
  const encode = config.endpoint === 'raw' ? encodeRawRecord : createEventRecordEncoder(config.metadata);
  return {
    name: `splunk-hec-${config.endpoint}:${config.path}:${JSON.stringify(config.metadata)}:${maxRequestBytes}`,
    encodeRecord: (record) => {
      const line = withoutLineBreak(record);
      return isRecordLine(line) ? encode(line) : '';
    },
    requestPrefix: '',
    requestSuffix: '',
    recordDelimiter: '',
    maxRequestBytes,
  };
}
