// Decides where a wire batch's parts end: before a record that would take a request past its byte or record bound.
import type { WireFraming } from './wire-framing.js';

export interface PartCutter {
  /** Measures the next record's `text`; true when the current part must end before it. */
  cutsBefore(text: string): boolean;
  /** Counts the record just measured into the current part, or into a new one after a cut. */
  take(newPart: boolean): void;
}

/**
 * Sizes are UTF-8 bytes as sent: the prefix and suffix of every request, a delimiter between two
 * records. A record larger than the bound on its own still goes, alone: the destination decides.
 */
export function createPartCutter(wire: WireFraming): PartCutter {
  const frame = Buffer.byteLength(wire.requestPrefix) + Buffer.byteLength(wire.requestSuffix);
  const delimiter = Buffer.byteLength(wire.recordDelimiter);
  const maxRecords = wire.maxRequestRecords ?? Infinity;
  let records = 0;
  let bytes = frame;
  let next = 0;
  return {
    cutsBefore(text) {
      next = Buffer.byteLength(text);
      return records > 0 && (records >= maxRecords || bytes + delimiter + next > wire.maxRequestBytes);
    },
    take(newPart) {
      if (newPart) {
        records = 0;
        bytes = frame;
      }
      bytes += (records > 0 ? delimiter : 0) + next;
      records++;
    },
  };
}
