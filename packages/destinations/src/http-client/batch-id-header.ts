// The header that names a batch on every request and every attempt, so that a receiver can drop a redelivery it already took.
import type { DeliveryBatch } from '../destination.js';

/** Lower-case, as it is reserved (no `header_` parameter may set it) and sent. */
export const BATCH_ID_HEADER = 'x-sluice-batch-id';

/**
 * `job<id>-p<partition>-o<firstOffset>`: the batch's suffix, the same on every redelivery of the same
 * records. A batch sent as several requests names each: part 0 keeps the suffix, part k (from 1) is
 * `<suffix>-part<k>`, so a receiver that drops repeated ids drops only real repeats. Parts are cut
 * from the records alone (count and bytes), so part k holds the same records on every attempt.
 * `piece` names a request cut from a part after the receiver found it too large (HTTP 413): its
 * first record's position in the batch, appended as `-r<piece>`.
 */
export function batchIdHeader(batch: DeliveryBatch, part = 0, piece?: number): Record<string, string> {
  const id = partBatchId(batch, part);
  return { [BATCH_ID_HEADER]: piece === undefined ? id : `${id}-r${piece}` };
}

export function partBatchId(batch: DeliveryBatch, part: number): string {
  return part === 0 ? batch.suffix : `${batch.suffix}-part${part}`;
}
