// The only writer of the dead-letter topic: bounded letters, sends under Kafka's size limit, retried under the shared policy.
import { DEAD_LETTER_TOPIC, deadLetterHeaders } from '@sluice/kafka';
import type { OutgoingRecord, RecordProducer } from '@sluice/kafka';
import type { RetryPolicy } from '@sluice/destinations';
import type { Logger } from '@sluice/logging';
import { retryLoop } from '../retry/retry-loop.js';
import { errorCode } from '../pusher-errors.js';

/** A record that can never be delivered, and why. */
export interface DeadLetter {
  /** The record as read from Kafka, or as it was sent to a destination that refused it. */
  value: Buffer;
  code: string;
  reason: string;
  partition: number;
  offset: string;
}

export interface DeadLetterWriterOptions {
  producer: Pick<RecordProducer, 'send'>;
  jobId: number;
  /** The dataset topic the letters come from. */
  topic: string;
  policy: RetryPolicy;
  log: Logger;
  /** A write failed and will be retried: shown in the job's health. */
  onFailure?: (code: string, message: string) => void;
  /**
   * Largest value kept whole (default 900 KiB: Kafka's default 1 MiB message limit, less room for
   * headers and framing). A larger one is stored truncated, with a header giving its full size.
   */
  maxValueBytes?: number;
  /** Largest send, in bytes of values (default 900 KiB): more letters go in several sends. */
  maxSendBytes?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface DeadLetterWriter {
  /** Resolves true once every letter is in the topic, false when `signal` aborted first (the records are read again later). */
  write(letters: readonly DeadLetter[], signal: AbortSignal): Promise<boolean>;
}

const DEFAULT_MAX_BYTES = 900 * 1024;
/** Header of a truncated letter: the value's full length in bytes. */
export const TRUNCATED_HEADER = 'sluice-dlq-truncated-from-bytes';

export function createDeadLetterWriter(options: DeadLetterWriterOptions): DeadLetterWriter {
  const maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_BYTES;
  const maxSendBytes = options.maxSendBytes ?? DEFAULT_MAX_BYTES;

  const toRecord = (letter: DeadLetter): OutgoingRecord => {
    const headers = deadLetterHeaders({ jobId: options.jobId, reasonCode: letter.code, reason: letter.reason, topic: options.topic, partition: letter.partition, offset: letter.offset });
    if (letter.value.length <= maxValueBytes) return { value: letter.value, headers };
    return { value: letter.value.subarray(0, maxValueBytes), headers: { ...headers, [TRUNCATED_HEADER]: String(letter.value.length) } };
  };

  /** Consecutive letters in sends of at most maxSendBytes each (a single letter always fits, being truncated). */
  const sends = (records: readonly OutgoingRecord[]): OutgoingRecord[][] => {
    const out: OutgoingRecord[][] = [];
    let current: OutgoingRecord[] = [];
    let bytes = 0;
    for (const record of records) {
      if (current.length > 0 && bytes + record.value.length > maxSendBytes) {
        out.push(current);
        current = [];
        bytes = 0;
      }
      current.push(record);
      bytes += record.value.length;
    }
    if (current.length > 0) out.push(current);
    return out;
  };

  return {
    async write(letters, signal) {
      if (letters.length === 0) return true;
      for (const send of sends(letters.map(toRecord))) {
        const outcome = await retryLoop(() => options.producer.send(DEAD_LETTER_TOPIC, send), {
          policy: options.policy,
          signal,
          ...(options.sleep ? { sleep: options.sleep } : {}),
          onFailure: (error, attempt, delayMs) => {
            const code = `DEAD_LETTER_${errorCode(error, 'WRITE_FAILED')}`;
            options.log.warn({ err: error, code, attempt, delay_ms: delayMs, letters: send.length }, 'dead-letter write failed; retrying');
            options.onFailure?.(code, `dead-letter topic ${DEAD_LETTER_TOPIC} unavailable: ${(error as Error).message}`);
          },
        });
        if (!outcome.ok) return false;
      }
      return true;
    },
  };
}
