// A RecordPublisher whose Kafka producer and spool run on a thread of their own, so that their work never delays a request.
import { Worker } from 'node:worker_threads';
import type { Logger } from '@sluice/logging';
import { PublishError } from '../publish-error.js';
import type { PublishErrorCode } from '../publish-error.js';
import type { PublishedMessage } from '../published-message.js';
import type { PublisherStats } from '../publisher-stats.js';
import type { RecordPublisher } from '../record-publisher.js';
import { createDurableWaiters } from '../durability/durable-waiters.js';
import { createThrottledWarning } from '../throttled-warning.js';
import type { FromPublisherThread, ThreadReport, ToPublisherThread } from './thread-messages.js';
import { packRecords } from './thread-messages.js';

/*
 * Why a thread: encoding produce requests, kafkajs's CRC32C in JavaScript, its promise chains, the
 * presence check and the spool's replay all ran on the gateway's event loop, and requests arriving
 * meanwhile waited. Measured by `npm run bench -- --only gateway` on 2 cores (two runs each), with
 * a paced load while a spool of ~170,000 records replays: p99 11–12 ms (event loop delay p99
 * 8–10 ms) on one thread, 2.9–4.8 ms (1.8–3.2 ms) with this one; saturated, 8,000–8,100 requests/s
 * against 8,700–9,400 (Kafka down: 9,100 against 10,800–11,400). With Kafka simply up, the paced
 * p99 is the same either way (1.5–1.7 ms). The gateway's thread now only collects records and
 * hands them over in batches.
 *
 * Guarantees are the inner publisher's (record-publisher.ts), plus what is in between: records
 * handed over but not yet taken by the publisher thread are in memory only, like its queue. If the
 * thread dies, those are counted as dropped and logged, and a new thread starts on the same spool,
 * replaying whatever it holds.
 */

export interface ThreadedPublisherOptions {
  /** The worker module: it calls `servePublisherThread` (serve-publisher.ts). */
  readonly worker: URL;
  /** Its `workerData`: whatever the module needs to build its publisher (structured-cloneable). */
  readonly data: unknown;
  readonly logger: Logger;
  /**
   * Records the gateway's thread may hold for a publisher thread that is not taking them (default
   * 10,000: with the publisher's queue and batch, what a kill -9 can lose is bounded by ~12,500).
   */
  readonly maxHandedOver?: number;
  /** `sync`: `publishDurably` waits for the thread to store each record (the thread's publisher must be in sync mode too). */
  readonly durability?: 'async' | 'sync';
  /** Wait before replacing a publisher thread that died (default 1,000 ms). */
  readonly restartDelayMs?: number;
  readonly now?: () => number;
}

const DEFAULT_MAX_HANDED_OVER = 10_000;
const DEFAULT_RESTART_DELAY_MS = 1_000;
const DEFAULT_GRACE_MS = 5_000;
/**
 * Records wait this long on the gateway's thread to cross together (or until HANDOVER_MAX_RECORDS):
 * one message per request would wake the publisher thread thousands of times a second, and on a
 * busy machine each wake-up takes a core from the requests.
 */
const HANDOVER_LINGER_MS = 5;
const HANDOVER_MAX_RECORDS = 500;

export async function startThreadedPublisher(options: ThreadedPublisherOptions): Promise<RecordPublisher> {
  const { logger } = options;
  const maxHandedOver = options.maxHandedOver ?? DEFAULT_MAX_HANDED_OVER;
  const restartDelayMs = options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
  const drops = createThrottledWarning({ logger, now: options.now ?? Date.now, field: 'dropped', message: 'records dropped before reaching the publisher thread' });

  /** Records published since the last handover: at most HANDOVER_LINGER_MS old. */
  let pending: PublishedMessage[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let flushSoon = false;
  const sync = options.durability === 'sync';
  /** Sync mode: requests waiting for their record to be stored, numbered as handed to the current thread. */
  const durable = createDurableWaiters();
  /** Records handed to the current thread, and what it last said it took. */
  let handedOver = 0;
  let last: ThreadReport;
  /** The running thread: unset from its death until a successor starts, so that a dead one's messages do not count. */
  let live: Worker | undefined;
  let nextId = 1;
  const replies = new Map<number, (value: boolean | null) => void>();
  let closing: Promise<void> | undefined;
  let closed = false;
  /** False from a thread's death until its successor is ready: records wait in `pending` meanwhile. */
  let up = true;
  /** Counters of threads that died, so that the totals do not start again from zero. */
  const carried = { published: 0, spooled: 0, replayed: 0, dropped: 0 };

  /** Starts a publisher thread and resolves once its publisher is ready; rejects with its PublishError when it cannot start. */
  function spawn(): Promise<void> {
    const thread = new Worker(options.worker, { workerData: options.data });
    live = thread;
    handedOver = 0;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      thread.on('message', (message: FromPublisherThread) => {
        // A thread that died has nothing more to say: its counters were carried over once, in `died`.
        if (thread !== live) return;
        switch (message.type) {
          case 'ready':
            ready = true;
            last = message;
            resolve();
            return;
          case 'failed':
            reject(new PublishError(message.code as PublishErrorCode, message.message));
            return;
          case 'stats':
            last = message;
            return;
          case 'durable':
            durable.settle(message.upTo, message.lost);
            return;
          case 'reply':
            last = message;
            replies.get(message.id)?.(message.value);
            replies.delete(message.id);
        }
      });
      thread.on('error', (error) => {
        if (!ready) return reject(error);
        logger.error({ err: error }, 'the publisher thread failed');
      });
      thread.on('exit', (code) => {
        if (!ready) return reject(new PublishError('PUBLISH_THREAD_FAILED', `the publisher thread exited with code ${code} before it was ready`));
        if (closed || thread !== live) return;
        died(code);
      });
    });
  }

  function died(code: number): void {
    up = false;
    live = undefined;
    const lost = handedOver - last.received;
    if (lost > 0) drops.add(lost, { reason: 'publisher-thread-died' });
    // Whether the dead thread stored them is unknown: their requests are not answered as stored. Those
    // still waiting here go to the next thread, numbered from its start.
    durable.fail(handedOver);
    durable.shift(handedOver, handedOver);
    logger.error({ exitCode: code, lost }, 'the publisher thread died; starting a new one on the same spool');
    for (const counter of ['published', 'spooled', 'replayed', 'dropped'] as const) carried[counter] += last.stats[counter];
    last = { stats: { ...last.stats, published: 0, spooled: 0, replayed: 0, dropped: 0, queued: 0, kafkaHealthy: false }, received: 0 };
    handedOver = 0;
    // Waiting callers get their answer from the next thread; a reply from this one never comes.
    for (const [, answer] of replies) answer(false);
    replies.clear();
    const restart = (): void => {
      if (closed) return;
      spawn().then(
        () => {
          up = true;
          logger.info('a new publisher thread is running');
          flush();
        },
        (error: unknown) => {
          logger.error({ err: error }, 'the publisher thread could not be restarted; trying again');
          setTimeout(restart, restartDelayMs).unref();
        },
      );
    };
    setTimeout(restart, restartDelayMs).unref();
  }

  function flush(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    flushSoon = false;
    if (pending.length === 0 || !up) return;
    const records = pending;
    pending = [];
    const run = packRecords(records);
    handedOver += records.length;
    post(run, [run.values]);
  }

  /** Only while `up`, when a live thread takes messages. */
  function post(message: ToPublisherThread, transfer: ArrayBuffer[] = []): void {
    live?.postMessage(message, transfer);
  }

  /** Asks the thread; resolves `false` if no answer comes within `timeoutMs` (a thread that died or hangs). */
  function ask(message: { type: 'drained'; timeoutMs: number } | { type: 'close'; graceMs: number }, timeoutMs: number): Promise<boolean | null> {
    if (!up) return Promise.resolve(false);
    flush();
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        replies.delete(id);
        resolve(false);
      }, timeoutMs);
      replies.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      post({ ...message, id });
    });
  }

  /** Into `pending`, or dropped and counted (false). */
  function take(message: PublishedMessage): boolean {
    if (closed) {
      drops.add(1, { reason: 'closed' });
      return false;
    }
    if (handedOver - last.received + pending.length >= maxHandedOver) {
      drops.add(1, { reason: 'publisher-thread-behind' });
      return false;
    }
    pending.push(message);
    if (pending.length >= HANDOVER_MAX_RECORDS) flush();
    // Sync mode: a request waits for its record, so the records of one event-loop turn cross at its end, not after a linger.
    else if (sync && !flushSoon) {
      flushSoon = true;
      setImmediate(flush);
    } else if (!sync) flushTimer ??= setTimeout(flush, HANDOVER_LINGER_MS);
    return true;
  }

  await spawn();

  return {
    publish(message) {
      take(message);
    },

    publishDurably(message) {
      if (!take(message)) return Promise.resolve(false);
      return sync ? durable.wait(handedOver + pending.length) : Promise.resolve(true);
    },

    stats(): PublisherStats {
      const s = last.stats;
      return {
        ...s,
        published: s.published + carried.published,
        spooled: s.spooled + carried.spooled,
        replayed: s.replayed + carried.replayed,
        dropped: s.dropped + carried.dropped + drops.total,
        queued: s.queued + handedOver - last.received + pending.length,
      };
    },

    async drained(timeoutMs) {
      if (closed) return pending.length === 0 && handedOver === last.received && last.stats.queued === 0 && last.stats.spoolRecords === 0;
      // A little longer than the thread's own wait, which answers `false` at its timeout.
      return (await ask({ type: 'drained', timeoutMs }, timeoutMs + 1_000)) === true;
    },

    close(closeOptions) {
      closing ??= (async () => {
        const graceMs = closeOptions?.graceMs ?? DEFAULT_GRACE_MS;
        // The thread writes what it holds to the spool within the grace; one that hangs is ended a little after it.
        try {
          await ask({ type: 'close', graceMs }, graceMs + 2_000);
        } finally {
          closed = true;
          durable.fail();
          const unsent = pending.length;
          pending = [];
          if (unsent > 0) drops.add(unsent, { reason: 'closed' });
          drops.flush('records were dropped before reaching the publisher thread');
          await live?.terminate();
        }
      })();
      return closing;
    },
  };
}
