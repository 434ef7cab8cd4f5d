// `sluice loadgen`: publishes synthetic http_requests records to Kafka, paced or as fast as possible.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Kafka } from 'kafkajs';
import { createRecordProducer, ensureTopics, DEFAULT_DATASET_PARTITIONS } from '@sluice/kafka';
import type { OutgoingRecord } from '@sluice/kafka';
import { ACCOUNT_ID_HEADER, ZONE_ID_HEADER, createRecordEncoder, topicFor } from '@sluice/schemas';
import { syntheticTraffic } from './synthetic-traffic.js';
import { recordToJson } from './json-lines.js';

export interface LoadgenOptions {
  kafka: Kafka;
  /** How many records to publish; Infinity runs until `signal` aborts. */
  records: number;
  /** Records per second; undefined publishes as fast as the broker takes them. */
  ratePerSecond?: number;
  zones: readonly string[];
  seed: number;
  /** Also write every published record here, one JSON object per line. */
  dumpPath?: string;
  startTimeMs?: number;
  signal?: AbortSignal;
  onProgress?: (published: number) => void;
}

export interface LoadgenSummary {
  published: number;
  zones: Record<string, { name: string; records: number }>;
}

/** Records per produce request: large enough for throughput, well under the broker's 1 MB batch limit per partition. */
const SEND_CHUNK = 1_000;

export async function runLoadgen(options: LoadgenOptions): Promise<LoadgenSummary> {
  const topic = topicFor('http_requests');
  await ensureTopics(options.kafka, [{ topic, numPartitions: DEFAULT_DATASET_PARTITIONS }]);
  const producer = await createRecordProducer(options.kafka);
  const encode = createRecordEncoder('http_requests');
  const dump = options.dumpPath ? createWriteStream(options.dumpPath) : undefined;
  const traffic = syntheticTraffic({ zones: options.zones, seed: options.seed, startTimeMs: options.startTimeMs ?? Date.now() });
  const summary: LoadgenSummary = { published: 0, zones: {} };
  const rate = options.ratePerSecond;
  const chunkSize = rate === undefined ? SEND_CHUNK : Math.max(1, Math.min(SEND_CHUNK, Math.ceil(rate / 10)));
  const startedAt = Date.now();
  try {
    while (summary.published < options.records && !options.signal?.aborted) {
      const count = Math.min(chunkSize, options.records - summary.published);
      const chunk: OutgoingRecord[] = [];
      let dumpText = '';
      for (let i = 0; i < count; i++) {
        const { zone, record, timeMs } = traffic.next().value;
        chunk.push({ value: encode(record), headers: { [ZONE_ID_HEADER]: zone.zoneId, [ACCOUNT_ID_HEADER]: zone.accountId }, timestampMs: timeMs });
        const entry = (summary.zones[zone.zoneId] ??= { name: zone.name, records: 0 });
        entry.records++;
        if (dump) dumpText += `${recordToJson(record)}\n`;
      }
      await producer.send(topic, chunk);
      summary.published += count;
      if (dump && !dump.write(dumpText)) await once(dump, 'drain');
      options.onProgress?.(summary.published);
      if (rate !== undefined) {
        const dueAt = startedAt + (summary.published / rate) * 1000;
        const wait = dueAt - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  } finally {
    await producer.close();
    if (dump) {
      dump.end();
      await once(dump, 'close');
    }
  }
  return summary;
}
