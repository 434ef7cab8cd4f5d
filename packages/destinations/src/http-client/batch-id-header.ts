// The header that names a batch on every request and every attempt, so that a receiver can drop a redelivery it already took.
import type { DeliveryBatch } from '../destination.js';

/** Lower-case, as it is reserved (no `header_` parameter may set it) and sent. */
export const BATCH_ID_HEADER = 'x-sluice-batch-id';

/** `job<id>-p<partition>-o<firstOffset>`: the batch's suffix, the same on every redelivery of the same records. */
export function batchIdHeader(batch: DeliveryBatch): Record<string, string> {
  return { [BATCH_ID_HEADER]: batch.suffix };
}
