// Encodes records as the Kafka messages the publisher sends: Avro values, scope headers, RayID keys.
import { ACCOUNT_ID_HEADER, ZONE_ID_HEADER, createRecordEncoder, topicFor } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import type { PublishedMessage } from '../publish/published-message.js';

export interface RecordMessages {
  /** Throws SCHEMAS_INVALID_RECORD for a record the schema refuses (a bug in the gateway, not bad input). */
  httpRequest(record: DatasetRecord, zoneId: string, accountId: string, rayId: string, startNs: bigint): PublishedMessage;
  accessEvent(record: DatasetRecord, accountId: string, rayId: string, createdAtNs: bigint): PublishedMessage;
}

export function createRecordMessages(): RecordMessages {
  const encodeRequest = createRecordEncoder('http_requests');
  const encodeAccess = createRecordEncoder('access_requests');
  const requestTopic = topicFor('http_requests');
  const accessTopic = topicFor('access_requests');
  return {
    httpRequest: (record, zoneId, accountId, rayId, startNs) => ({
      topic: requestTopic,
      value: encodeRequest(record),
      // Keyed by RayID: a replay's presence check finds the record by it. The partition is chosen per send, not by key (kafka-publisher-thread.ts).
      key: rayId,
      headers: { [ZONE_ID_HEADER]: zoneId, [ACCOUNT_ID_HEADER]: accountId },
      timestampMs: Number(startNs / 1_000_000n),
    }),
    accessEvent: (record, accountId, rayId, createdAtNs) => ({
      topic: accessTopic,
      value: encodeAccess(record),
      key: rayId,
      headers: { [ACCOUNT_ID_HEADER]: accountId },
      timestampMs: Number(createdAtNs / 1_000_000n),
    }),
  };
}
