// Sends a run of one topic's records in sends the broker accepts: cut by size, split when refused, a hopeless record set aside.
import type { Logger } from '@sluice/logging';
import type { KafkaLink, SendOutcome } from '../kafka-link.js';
import type { PublishedMessage } from '../published-message.js';
import { toOutgoingRecord } from '../topic-groups.js';
import type { MessageLimits } from './message-limits.js';
import { recordBytes } from './message-limits.js';
import type { Quarantine } from './quarantine-file.js';
import type { RecordFitter } from './record-fitting.js';
import { classifySendError } from './send-errors.js';

/*
 * Why: one send larger than the broker's `max.message.bytes` is refused every time; retried as it
 * was, it stopped everything behind it (issue 14: 2,000 requests with 15 KB URLs wedged the
 * publisher for good). Here a send never leaves a record behind:
 *  - sends are cut at the topic's limit (message-limits.ts), by an estimate of each record's size;
 *  - a send the broker still refuses as too large teaches a lower limit (halved), so the same
 *    records go again in halves;
 *  - a record larger than the limit alone is truncated (record-fitting.ts); one that cannot be, or
 *    that the broker refuses for its content, goes to the quarantine file, and the next goes on.
 * Only failures where sending again can succeed (Kafka away, slow, leaderless) end a call early.
 */

export interface SizedSendResult {
  /** Leading records dealt with for good: acknowledged by Kafka, or set aside in the quarantine. */
  readonly done: number;
  /** Of those, acknowledged by Kafka. */
  readonly delivered: number;
  /** `acked` when all are done; else why the rest was not sent. */
  readonly outcome: SendOutcome;
}

export interface SizedSender {
  /** Sends in order; `proceed()` is asked before each send (false: stop, outcome `closed`). Never rejects. */
  send(topic: string, messages: readonly PublishedMessage[], proceed: () => boolean): Promise<SizedSendResult>;
  /** Records sent truncated so far. */
  readonly truncated: number;
}

export interface SizedSenderOptions {
  readonly link: KafkaLink;
  readonly limits: MessageLimits;
  readonly fit: RecordFitter;
  readonly quarantine: Quarantine;
  readonly logger: Logger;
}

const ACKED: SendOutcome = { kind: 'acked' };
const CLOSED: SendOutcome = { kind: 'closed' };

export function createSizedSender(options: SizedSenderOptions): SizedSender {
  const { link, limits, fit, quarantine, logger } = options;
  let truncated = 0;

  return {
    async send(topic, messages, proceed) {
      // A truncated record replaces its original for every later attempt of this call.
      const current = [...messages];
      let done = 0;
      let delivered = 0;
      /** Records per send while isolating a record the broker refuses for its content: halves with each refusal. */
      let countCap = Number.POSITIVE_INFINITY;
      while (done < current.length) {
        if (!proceed()) return { done, delivered, outcome: CLOSED };
        const limit = limits.maxBytes(topic);
        const first = current[done];
        if (recordBytes(first) > limit) {
          const fitted = fit(first, limit);
          if (fitted === undefined) {
            quarantine.keep(first, 'too large, and cutting its strings cannot make it fit');
            done++;
            continue;
          }
          if (first === messages[done]) truncated++;
          current[done] = fitted;
          logger.debug({ topic, rayId: first.key, bytes: first.value.length, fittedBytes: fitted.value.length }, 'a record too large for Kafka is sent truncated');
        }
        const end = chunkEnd(current, done, limit, countCap);
        const outcome = await link.send(topic, current.slice(done, end).map(toOutgoingRecord));
        if (outcome.kind === 'acked') {
          delivered += end - done;
          done = end;
          countCap = Number.POSITIVE_INFINITY;
          continue;
        }
        const kind = outcome.kind === 'failed' && outcome.stage === 'send' ? classifySendError(outcome.error) : 'retry';
        if (kind === 'retry') return { done, delivered, outcome };
        if (kind === 'too-large') {
          if (limits.shrink(topic)) {
            logger.warn({ topic, records: end - done, limitBytes: limits.maxBytes(topic) }, 'Kafka refused a send as too large; sending in smaller parts from now on');
            continue;
          }
          // At the floor: this record is the one Kafka will not take in any size.
          quarantine.keep(current[done], 'refused by Kafka as too large at every size');
          done++;
          continue;
        }
        if (end - done > 1) {
          countCap = Math.ceil((end - done) / 2);
          continue;
        }
        quarantine.keep(current[done], `refused by Kafka: ${errorType(outcome)}`);
        done++;
      }
      return { done, delivered, outcome: ACKED };
    },
    get truncated() {
      return truncated;
    },
  };
}

/** Where the send starting at `from` ends: as many records as fit `limit` (at least one), at most `countCap`, none alone over the limit. */
function chunkEnd(messages: readonly PublishedMessage[], from: number, limit: number, countCap: number): number {
  let bytes = recordBytes(messages[from]);
  let end = from + 1;
  while (end < messages.length && end - from < countCap) {
    const next = recordBytes(messages[end]);
    if (bytes + next > limit) break;
    bytes += next;
    end++;
  }
  return end;
}

function errorType(outcome: SendOutcome): string {
  const error = outcome.kind === 'failed' ? (outcome.error as { type?: unknown; message?: unknown }) : undefined;
  const named = error?.type ?? error?.message;
  return typeof named === 'string' ? named : outcome.kind;
}
