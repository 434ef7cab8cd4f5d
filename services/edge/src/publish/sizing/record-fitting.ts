// Makes a record that alone exceeds a send's limit fit: its long strings cut, and headers saying what was cut.
import { createRecordDecoder, createRecordEncoder, datasetNames, topicFor } from '@sluice/schemas';
import type { DatasetRecord, RecordDecoder, RecordEncoder } from '@sluice/schemas';
import type { PublishedMessage } from '../published-message.js';
import { recordBytes } from './message-limits.js';

/** Header of a truncated record: the fields cut, comma-separated, e.g. `ClientRequestURI,ClientRequestPath`. */
export const TRUNCATED_HEADER = 'sluice-truncated';
/** Header of a truncated record: its value's size before, in bytes. */
export const ORIGINAL_BYTES_HEADER = 'sluice-original-bytes';
/** Ends every cut string, so that a reader of the output (who never sees Kafka headers) knows too. */
export const CUT_MARK = '…[truncated]';
/** Strings are never cut shorter than this: a record that still does not fit is not worth guessing at. */
const MIN_KEPT_CHARS = 256;

/** The record cut to fit `maxBytes` (as `recordBytes` counts), or undefined when cutting strings cannot make it fit. */
export type RecordFitter = (message: PublishedMessage, maxBytes: number) => PublishedMessage | undefined;

export function createRecordFitter(): RecordFitter {
  const codecs = new Map<string, { decode: RecordDecoder; encode: RecordEncoder }>();
  for (const name of datasetNames) codecs.set(topicFor(name), { decode: createRecordDecoder(name), encode: createRecordEncoder(name) });

  return (message, maxBytes) => {
    const codec = codecs.get(message.topic);
    if (codec === undefined) return undefined;
    const decoded = codec.decode(message.value);
    if (!decoded.ok) return undefined;
    const record = decoded.record;
    const longest = longestString(record);
    // The framing and headers stay as they are; the new headers add a little.
    const budget = maxBytes - (recordBytes(message) - message.value.length) - 200;
    let low = MIN_KEPT_CHARS;
    let high = longest;
    let best: { value: Buffer; cut: string[] } | undefined;
    // Binary search on the longest string kept: each step one encode (a few dozen for a 1 MB record; rare by design).
    while (low <= high) {
      const keep = Math.floor((low + high) / 2);
      const cut: string[] = [];
      let value: Buffer;
      try {
        value = codec.encode(cutStrings(record, keep, cut));
      } catch {
        return undefined;
      }
      if (value.length <= budget) {
        best = { value, cut };
        low = keep + 1;
      } else {
        high = keep - 1;
      }
    }
    if (best === undefined || best.cut.length === 0) return undefined;
    return {
      ...message,
      value: best.value,
      headers: { ...message.headers, [TRUNCATED_HEADER]: best.cut.join(','), [ORIGINAL_BYTES_HEADER]: String(message.value.length) },
    };
  };
}

function longestString(record: DatasetRecord): number {
  let longest = 0;
  const see = (value: unknown): void => {
    if (typeof value === 'string') longest = Math.max(longest, value.length);
    else if (Array.isArray(value)) value.forEach(see);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(see);
  };
  Object.values(record).forEach(see);
  return longest;
}

/** A copy with every string (in maps and arrays too) longer than `keep` cut to it plus CUT_MARK; `cut` collects the fields touched. */
function cutStrings(record: DatasetRecord, keep: number, cut: string[]): DatasetRecord {
  const out: DatasetRecord = {};
  for (const [field, value] of Object.entries(record)) {
    let touched = false;
    const shorten = (v: unknown): unknown => {
      if (typeof v === 'string') {
        if (v.length <= keep) return v;
        touched = true;
        // Not between the halves of a surrogate pair: the result must stay valid UTF-16.
        const end = /[\uD800-\uDBFF]/.test(v.charAt(keep - 1)) ? keep - 1 : keep;
        return v.slice(0, end) + CUT_MARK;
      }
      if (Array.isArray(v)) return v.map(shorten);
      if (v !== null && typeof v === 'object' && typeof v !== 'bigint') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, shorten(inner)]));
      return v;
    };
    out[field] = shorten(value);
    if (touched) cut.push(field);
  }
  return out;
}
