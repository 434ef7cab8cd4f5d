// Delivers one sealed batch: retries what may pass later, waits while the destination refuses, keeps refused records as dead letters.
import { abortableSleep, nextDelayMs, withRetry } from '@sluice/destinations';
import type { DeliveryResult, Destination, RetryPolicy } from '@sluice/destinations';
import type { SealedBatch } from '@sluice/pipeline';
import type { Logger } from '@sluice/logging';
import type { JobStatusTracker } from '../job-status.js';
import type { PusherEventListener } from '../pusher-events.js';
import type { DeadLetterWriter } from '../dead-letter/dead-letter-writer.js';
import { batchSuffix } from './batch-suffix.js';
import { throwSafe } from './throw-safe.js';

export interface BatchDeliveryOptions {
  jobId: number;
  /** The dataset topic the batches come from (dead-letter events name it). */
  topic: string;
  destination: Destination;
  /** Backoff for retryable failures (timeouts, 5xx, throttling, a destination that threw). */
  retryPolicy: RetryPolicy;
  /** Backoff after the destination rejected a batch outright (credentials, a missing bucket). */
  rejectedPolicy: RetryPolicy;
  deadLetters: DeadLetterWriter;
  tracker: JobStatusTracker;
  log: Logger;
  emit: PusherEventListener;
  now: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export type DeliveryOutcome =
  | { status: 'delivered'; location: string; records: number }
  /** Cut short (a rebalance, a stop): nothing may be committed for it; its records are read again. */
  | { status: 'abandoned' };

export interface BatchDelivery {
  deliver(partition: number, sealed: SealedBatch, signal: AbortSignal): Promise<DeliveryOutcome>;
}

export function createBatchDelivery(options: BatchDeliveryOptions): BatchDelivery {
  const { tracker, log, emit, jobId, now } = options;
  const sleep = options.sleep ?? abortableSleep;
  const destination = withRetry(throwSafe(options.destination), {
    policy: options.retryPolicy,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
    onRetry: ({ attempt, delayMs, result }) => {
      tracker.retried(result.code);
      tracker.failed(result.code, result.message, now());
      log.warn({ code: result.code, attempt, delay_ms: delayMs, err_message: result.message }, 'delivery failed; retrying');
    },
  });

  async function delivered(partition: number, sealed: SealedBatch, result: Extract<DeliveryResult, { status: 'delivered' }>, signal: AbortSignal, startedAtMs: number): Promise<DeliveryOutcome> {
    const refused = result.refused ?? [];
    if (refused.length > 0) {
      // The batch is not delivered until its refusals are kept: Kafka holds them meanwhile.
      const kept = await options.deadLetters.write(
        refused.map((r) => ({ value: Buffer.from(r.document), code: r.code, reason: r.reason, partition, offset: String(r.offset) })),
        signal,
      );
      if (!kept) return { status: 'abandoned' };
      for (const r of refused) {
        tracker.status.records_dead_lettered++;
        emit({ type: 'record-dead-lettered', jobId, topic: options.topic, partition, offset: String(r.offset), code: r.code });
        log.warn({ partition, offset: r.offset, code: r.code, reason: r.reason }, 'destination refused a record; sent to the dead-letter topic');
      }
    }
    const records = sealed.records - refused.length;
    tracker.delivered(result.location, records, sealed.uncompressedBytes, sealed.body.length, sealed.endTimeMs);
    emit({ type: 'batch-delivered', jobId, partition, location: result.location, records, bytes: sealed.uncompressedBytes, compressedBytes: sealed.body.length, durationMs: Math.max(0, now() - startedAtMs) });
    return { status: 'delivered', location: result.location, records };
  }

  return {
    async deliver(partition, sealed, signal) {
      const suffix = batchSuffix(jobId, partition, sealed.firstOffset);
      const batch = { ...sealed, suffix, origin: { jobId, partition, offsets: sealed.offsets } };
      const startedAtMs = now();
      for (let rejections = 1; ; rejections++) {
        const result = await destination.deliver(batch, signal);
        if (signal.aborted) return { status: 'abandoned' };
        if (result.status === 'delivered') return delivered(partition, sealed, result, signal, startedAtMs);
        // Retryable results come back only once the policy's attempts are spent; both wait and go again.
        tracker.failed(result.code, result.message, now());
        emit({ type: 'batch-failed', jobId, partition, code: result.code, message: result.message, willRetry: true });
        const delayMs = nextDelayMs(rejections, options.rejectedPolicy, result.status === 'retryable' ? result.retryAfterMs : undefined, options.random);
        log.error({ code: result.code, err_message: result.message, partition, first_offset: sealed.firstOffset, delay_ms: delayMs }, 'destination did not take the batch; retrying later');
        await sleep(delayMs, signal);
        if (signal.aborted) return { status: 'abandoned' };
      }
    },
  };
}
