// A job runner on a fake consumer, a scripted destination and a fake dead-letter producer: no Kafka, no network.
import { gunzipSync } from 'node:zlib';
import { createLogger } from '@sluice/logging';
import { parseJob, NO_CUSTOM_FIELDS } from '@sluice/pipeline';
import type { PushJob } from '@sluice/pipeline';
import type { DeliveryBatch, DeliveryResult, Destination, RetryPolicy } from '@sluice/destinations';
import type { OutgoingRecord } from '@sluice/kafka';
import { createJobRunner } from '../../src/job-runner.js';
import type { JobRunner, JobRunnerDeps } from '../../src/job-runner.js';
import type { ConsumedMessage } from '../../src/consumer/job-consumer.js';
import { createFakeConsumer } from './fake-consumer.js';
import type { FakeConsumer } from './fake-consumer.js';

export const ZONE = '0123456789abcdef0123456789abcdef';
export const FAST_RETRY: RetryPolicy = { initialDelayMs: 1, maxDelayMs: 2, multiplier: 2, maxAttempts: Infinity };

/** An http_requests record of the job's zone as a Kafka message at `offset`, with Kafka time `timeMs`. */
export function message(offset: number, timeMs = 1_700_000_000_000 + offset, rayId = `ray-${offset}`): ConsumedMessage {
  return { offset: String(offset), timestamp: String(timeMs), value: Buffer.from(JSON.stringify({ RayID: rayId, _zone_id: ZONE })), headers: {} };
}

export function messages(from: number, count: number, timeMs?: (offset: number) => number): ConsumedMessage[] {
  return Array.from({ length: count }, (_, i) => message(from + i, timeMs?.(from + i)));
}

export interface Delivered {
  suffix: string;
  rayIds: string[];
  offsets: readonly number[];
}

export type DeliverScript = (batch: DeliveryBatch, signal: AbortSignal, attempt: number) => Promise<DeliveryResult> | DeliveryResult;

export interface RunnerFixture {
  runner: JobRunner;
  consumer: FakeConsumer;
  /** Every batch the destination took, in the order it took them. */
  delivered: Delivered[];
  deadLetters: OutgoingRecord[][];
  clock: { now: number };
  /** Replaces what the destination does with each attempt. */
  script(deliver: DeliverScript): void;
  /** Makes the next `n` dead-letter sends fail. */
  failDeadLetters(n: number): void;
}

export function testJob(overrides: Partial<PushJob> = {}): PushJob {
  const parsed = parseJob({ id: 7, dataset: 'http_requests', zone_id: ZONE, destination_conf: 's3://b?region=r', output_options: { field_names: ['RayID'] } });
  if (!parsed.ok) throw new Error('test job does not parse');
  return { ...parsed.job, maxUploadRecords: 5, maxUploadIntervalSeconds: 30, ...overrides };
}

export function createRunnerFixture(options: { job?: Partial<PushJob>; deps?: Partial<JobRunnerDeps>; consumer?: FakeConsumer } = {}): RunnerFixture {
  const consumer = options.consumer ?? createFakeConsumer();
  const delivered: Delivered[] = [];
  const deadLetters: OutgoingRecord[][] = [];
  const clock = { now: 1_700_000_000_000 };
  let failDeadLetters = 0;
  let attempts = 0;
  let script: DeliverScript = () => ({ status: 'delivered', location: 'fake' });
  const destination: Destination = {
    kind: 'fake',
    description: 'fake://destination',
    async deliver(batch, signal) {
      const result = await script(batch, signal, ++attempts);
      if (result.status === 'delivered') {
        const lines = gunzipSync(batch.body).toString().split('\n').filter(Boolean);
        delivered.push({ suffix: batch.suffix, rayIds: lines.map((l) => (JSON.parse(l) as { RayID: string }).RayID), offsets: batch.origin?.offsets ?? [] });
      }
      return result;
    },
    close: () => Promise.resolve(),
  };
  const runner = createJobRunner({
    job: testJob(options.job),
    customFields: NO_CUSTOM_FIELDS,
    consumer,
    destination,
    deadLetters: {
      send(_topic, records) {
        if (failDeadLetters > 0) {
          failDeadLetters--;
          return Promise.reject(Object.assign(new Error('broker unavailable'), { type: 'BROKER_NOT_AVAILABLE' }));
        }
        deadLetters.push([...records]);
        return Promise.resolve();
      },
    },
    logger: createLogger({ name: 'test', level: 'silent' }),
    now: () => clock.now,
    retryPolicy: FAST_RETRY,
    rejectedRetryMs: 5,
    tickMs: 60_000,
    ...options.deps,
  });
  return {
    runner,
    consumer,
    delivered,
    deadLetters,
    clock,
    script: (next) => {
      attempts = 0;
      script = next;
    },
    failDeadLetters: (n) => (failDeadLetters = n),
  };
}

/** Resolves once `check` holds, polling every few ms; fails after `ms`. */
export async function eventually(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
