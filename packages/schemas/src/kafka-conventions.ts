// How records travel on Kafka: one topic per dataset, scope ids repeated in message headers.
import type { DatasetName } from './datasets/datasets.js';

/**
 * Message header carrying the record's zone id, so that consumers can route or drop a record
 * without decoding it. Producers set it whenever the record has a `_zone_id`.
 */
export const ZONE_ID_HEADER = 'sluice-zone-id';
/** Message header carrying the record's account id (see `ZONE_ID_HEADER`). */
export const ACCOUNT_ID_HEADER = 'sluice-account-id';

/** The topic a dataset's records are published to, e.g. `sluice.http_requests`. */
export function topicFor(dataset: DatasetName): string {
  return `sluice.${dataset}`;
}
