// Shared setup for the Elasticsearch destination tests: a bulk receiver and a destination per test, both closed after it.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { DeliveryBatch, Destination } from '../../src/destination.js';
import { parseElasticsearchConf } from '../../src/elasticsearch/elasticsearch-config.js';
import { createElasticsearchDestination } from '../../src/elasticsearch/elasticsearch-destination.js';
import type { ElasticsearchDestinationOptions } from '../../src/elasticsearch/elasticsearch-destination.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';
import { startBulkReceiver } from './bulk-receiver.js';
import type { BulkReceiver, BulkReceiverOptions } from './bulk-receiver.js';

/** An API key as Elasticsearch issues them (base64 of id:key): what must never reach a message. */
export const API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
export const AUTHORIZATION = `ApiKey ${API_KEY}`;

/** A signal that never aborts. */
export const never: AbortSignal = new AbortController().signal;

export async function receiverFor(t: TestContext, options: BulkReceiverOptions = {}): Promise<BulkReceiver> {
  const receiver = await startBulkReceiver(options);
  t.after(() => receiver.close());
  return receiver;
}

/**
 * `elasticsearch://<receiver>/logs-edge?tls=false&header_Authorization=ApiKey%20…` plus `query`. Item
 * resends wait 0 ms by default; tests about the wait pass their own `sleep`.
 */
export function destinationFor(t: TestContext, receiver: BulkReceiver, query = '&tls=false', options: ElasticsearchDestinationOptions = {}): Destination {
  const parsed = parseElasticsearchConf(`elasticsearch://${receiver.address}/logs-edge?header_Authorization=${encodeURIComponent(AUTHORIZATION)}${query}`);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  const destination = createElasticsearchDestination(parsed.config, { sleep: () => Promise.resolve(), ...options });
  t.after(() => destination.close());
  return destination;
}

/** Distinct NDJSON records, so order and duplicates show. */
export function records(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ RayID: `7f${(from + i).toString(16).padStart(14, '0')}`, ClientIP: `203.0.113.${(from + i) % 250}`, EdgeResponseStatus: 200 }));
}

/** A batch as the pusher builds it: job 7, partition 2, offsets from `firstOffset` with a gap (compacted topics skip some). */
export function originBatch(lines: readonly string[], firstOffset = 1000): DeliveryBatch {
  const offsets = lines.map((_, i) => firstOffset + i + (i >= 2 ? 1 : 0));
  return { ...ndjsonBatch(lines, `7-2-${firstOffset}`), origin: { jobId: 7, partition: 2, offsets } };
}
