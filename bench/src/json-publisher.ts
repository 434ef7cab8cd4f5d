// Publishes plain JSON http_requests records as a third-party producer (kcat, a script) writes them: ~2 KB, no zone header.
import type { Kafka } from 'kafkajs';
import { createRecordProducer } from '@sluice/kafka';
import type { OutgoingRecord } from '@sluice/kafka';
import { recordToJson, syntheticTraffic } from '@sluice/edge';
import { topicFor } from '@sluice/schemas';

export interface JsonPublishOptions {
  kafka: Kafka;
  records: number;
  zones: readonly string[];
  seed: number;
  startTimeMs: number;
}

/** Records per produce request, as the load generator sends them. */
const SEND_CHUNK = 500;

/** Publishes the records and returns how many bytes their values hold. */
export async function publishJsonRecords(options: JsonPublishOptions): Promise<{ bytes: number }> {
  const topic = topicFor('http_requests');
  const producer = await createRecordProducer(options.kafka);
  const traffic = syntheticTraffic({ zones: options.zones, seed: options.seed, startTimeMs: options.startTimeMs });
  let bytes = 0;
  try {
    for (let published = 0; published < options.records; ) {
      const count = Math.min(SEND_CHUNK, options.records - published);
      const chunk: OutgoingRecord[] = [];
      for (let i = 0; i < count; i++) {
        const { record, timeMs } = traffic.next().value;
        // The scope is in the record (`_zone_id`), not in a header: the job must decode to scope it.
        const value = Buffer.from(recordToJson(record));
        bytes += value.length;
        chunk.push({ value, timestampMs: timeMs });
      }
      await producer.send(topic, chunk);
      published += count;
    }
  } finally {
    await producer.close();
  }
  return { bytes };
}
