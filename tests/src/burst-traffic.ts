// Publishes synthetic http_requests records of one zone in bursts with pauses between, remembering every RayID.
import type { Kafka } from 'kafkajs';
import { syntheticTraffic, syntheticZone } from '@sluice/edge';
import { createRecordProducer } from '@sluice/kafka';
import { ACCOUNT_ID_HEADER, ZONE_ID_HEADER, createRecordEncoder, topicFor } from '@sluice/schemas';
import type { OutgoingRecord } from '@sluice/kafka';

export interface BurstTrafficOptions {
  kafka: Kafka;
  /** The zone's name, as for `syntheticZone`. */
  zone: string;
  seed: number;
  /** Records per second while a burst lasts. */
  ratePerSecond: number;
  burstMs: number;
  /** Silence between two bursts. */
  pauseMs: number;
  /** Bursts start only within this long after the first one. */
  durationMs: number;
  /** Called after each burst with its number (from 1) and the records published so far. */
  onBurst?: (burst: number, published: number) => void;
  signal?: AbortSignal;
}

export interface BurstTrafficResult {
  /** The RayID of every record Kafka acknowledged, in publishing order. */
  rayIds: string[];
  bursts: number;
}

/** Sends are spread over a burst in slices of this length, so that records stream in rather than arrive in lumps. */
const SLICE_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function publishBursts(options: BurstTrafficOptions): Promise<BurstTrafficResult> {
  const topic = topicFor('http_requests');
  const zone = syntheticZone(options.zone);
  const headers = { [ZONE_ID_HEADER]: zone.zoneId, [ACCOUNT_ID_HEADER]: zone.accountId };
  const encode = createRecordEncoder('http_requests');
  const traffic = syntheticTraffic({ zones: [options.zone], seed: options.seed, startTimeMs: Date.now() });
  const producer = await createRecordProducer(options.kafka);
  const rayIds: string[] = [];
  const perSlice = Math.max(1, Math.round((options.ratePerSecond * SLICE_MS) / 1000));
  const startedAt = Date.now();
  let bursts = 0;
  try {
    while (Date.now() - startedAt < options.durationMs && !options.signal?.aborted) {
      const burstStart = Date.now();
      bursts++;
      for (let slice = 0; (slice + 1) * SLICE_MS <= options.burstMs && !options.signal?.aborted; slice++) {
        const chunk: OutgoingRecord[] = [];
        const rays: string[] = [];
        for (let i = 0; i < perSlice; i++) {
          const { record, timeMs } = traffic.next().value;
          rays.push(String(record['RayID']));
          chunk.push({ value: encode(record), headers, timestampMs: timeMs });
        }
        await producer.send(topic, chunk);
        rayIds.push(...rays);
        await sleep(burstStart + (slice + 1) * SLICE_MS - Date.now());
      }
      options.onBurst?.(bursts, rayIds.length);
      await sleep(burstStart + options.burstMs + options.pauseMs - Date.now());
    }
  } finally {
    await producer.close();
  }
  return { rayIds, bursts };
}
