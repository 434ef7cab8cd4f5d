// Publishes the gateway's records to Kafka off the request path, spilling to a crash-safe disk spool whenever Kafka is slow or down.
import type { RecordProducer } from '@sluice/kafka';
import type { Logger } from '@sluice/logging';
import { createBackoff } from './backoff.js';
import { createDrainWaiters } from './drain-waiters.js';
import { createDurableWaiters } from './durability/durable-waiters.js';
import { createWriteAhead } from './durability/write-ahead.js';
import type { DurableReport } from './durability/write-ahead.js';
import { createKafkaLink } from './kafka-link.js';
import type { SendOutcome } from './kafka-link.js';
import { createMessageQueue } from './message-queue.js';
import { createOutageLog } from './outage-log.js';
import { createPauses } from './pauses.js';
import { PublishError } from './publish-error.js';
import type { PublishedMessage } from './published-message.js';
import type { PresenceCheck } from './kafka-presence.js';
import { resolvePublisherSettings } from './publisher-settings.js';
import type { PublisherTunables } from './publisher-settings.js';
import { createSequenceRuns } from './sequence-runs.js';
import { createMessageLimits } from './sizing/message-limits.js';
import type { MessageLimits } from './sizing/message-limits.js';
import { createQuarantine } from './sizing/quarantine-file.js';
import { createRecordFitter } from './sizing/record-fitting.js';
import { createSizedSender } from './sizing/sized-sender.js';
import { publisherStats } from './publisher-stats.js';
import type { PublisherStats } from './publisher-stats.js';
import { openDiskSpool } from './spool/disk-spool.js';
import type { DiskSpool } from './spool/disk-spool.js';
import { replaySpool } from './spool-replayer.js';
import { createThrottledWarning } from './throttled-warning.js';
import { groupByTopic } from './topic-groups.js';

/*
 * Delivery guarantee: at least once, in publish order per topic, and exactly once while nothing
 * times out.
 *  - Direct mode: publish → bounded memory queue → batches (one send per topic, one send at a time).
 *  - A failed send, a send slower than `sendTimeoutMs`, or a full queue switches to spooling: the
 *    unacknowledged part of the batch in flight, then the queue, then every later publish go to
 *    the disk spool, oldest first. A replayer sends the spool from its head; the head moves
 *    (durably) only after Kafka acknowledged, and after the spool empties, direct mode resumes.
 *  - Nothing is acknowledged twice when Kafka is simply down (sends fail; a failed send delivered
 *    nothing), nor across a restart: the head is persisted after every acknowledged send.
 *  - A record can be sent twice only when a send timed out (or was cut off by `close`) and Kafka
 *    had in fact written it: the spool's copy goes out again. A crash (not a close) between
 *    Kafka's acknowledgement and the head save also resends that one send's records.
 *  - Loss: a full spool (`dropped`), disk damage and failed disk writes (`spoolDamage`), each
 *    counted and logged with its counts; and what a crash (not a close) catches in memory: the
 *    queue and batch in flight, spooled records of the current event-loop turn, and after a power
 *    cut the last `spoolSyncIntervalMs` of spooled records.
 * Cost, as a sanity check (not asserted anywhere; Node 20, 1 KB records, an in-memory fake Kafka,
 * 200k publishes): ~0.5–1 µs per publish in direct mode, batching and sending included; ~4–6 µs per
 * publish while spooling, encoding, CRC and the group-committed writes included (~150–230 MB/s);
 * replay ~60–70k records/s, one head save per batch of 500.
 */

export interface RecordPublisher {
  /** Never blocks, never throws: into the bounded memory queue, else onto the spool, else dropped and counted. */
  publish(message: PublishedMessage): void;
  /**
   * `durability: "sync"`: publishes, and resolves true once the record is stored (fsync'd in the
   * spool, write-ahead.ts), false if it could not be (spool full, write failed, publisher gone).
   * Otherwise it resolves true at once, as `publish` returns. Never rejects.
   */
  publishDurably?(message: PublishedMessage): Promise<boolean>;
  stats(): PublisherStats;
  /** Resolves true once every message published so far is acknowledged by Kafka, false at the timeout. */
  drained(timeoutMs: number): Promise<boolean>;
  /** Stops sending; whatever is still in memory (queued or in flight and unacknowledged) is written to the spool, so a restart replays it. Idempotent. */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

export interface RecordPublisherOptions extends PublisherTunables {
  /** Makes a connected producer; called again after a failure (the old one is closed). */
  readonly connect: () => Promise<RecordProducer>;
  readonly logger: Logger;
  readonly now?: () => number;
  /**
   * Reads Kafka back before a replay resends records an earlier send may have written (see
   * `spool-replayer.ts`); without it such records can arrive twice. `createKafkaPresenceCheck`.
   */
  readonly presence?: PresenceCheck;
  /** Bytes a send to each topic may hold (kafka-publisher-thread.ts reads them from the broker); Kafka's default when absent. */
  readonly limits?: MessageLimits;
  /** With `sync`: told as records are stored, in publish order (numbered from 1 as published); how the publisher thread answers. */
  readonly onDurable?: DurableReport;
}

interface DirectBatch {
  readonly firstSeq: number;
  readonly messages: readonly PublishedMessage[];
  readonly acked: boolean[];
  /** `spool` once the spool has taken the batch over: whatever the send reports later changes nothing. */
  owner: 'kafka' | 'spool';
  readonly settled: Promise<void>;
  settle(): void;
}

/** A record with its publish sequence number (what `drained` counts by). */
interface Numbered {
  readonly message: PublishedMessage;
  readonly seq: number;
}

export type { PublisherStats, SpoolDamageStats } from './publisher-stats.js';

const DEFAULT_GRACE_MS = 5_000;

export async function createRecordPublisher(options: RecordPublisherOptions): Promise<RecordPublisher> {
  const settings = resolvePublisherSettings(options);
  const { logger } = options;
  const now = options.now ?? Date.now;
  let spool: DiskSpool;
  try {
    spool = await openDiskSpool({
      dir: settings.spoolDir,
      maxBytes: settings.spoolMaxBytes,
      segmentMaxBytes: settings.spoolSegmentMaxBytes,
      syncIntervalMs: settings.spoolSyncIntervalMs,
      logger,
      now,
    });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PublishError('PUBLISH_SPOOL_UNAVAILABLE', `spool directory ${settings.spoolDir} cannot be opened (${reason})`, { cause: error });
  }
  const link = createKafkaLink({ connect: options.connect, timeoutMs: settings.sendTimeoutMs, logger });
  const quarantine = createQuarantine({ dir: settings.spoolDir, logger, now });
  const sender = createSizedSender({ link, limits: options.limits ?? createMessageLimits(), fit: createRecordFitter(), quarantine, logger });
  const queue = createMessageQueue<PublishedMessage>();
  const spooledSeqs = createSequenceRuns();
  const backoff = createBackoff(settings.retryDelayMs);
  const outages = createOutageLog(logger, now);
  const pauses = createPauses();
  const waiters = createDrainWaiters();
  const drops = createThrottledWarning({ logger, now, field: 'dropped', message: 'records dropped: the spool is full (or the record cannot be stored)' });

  const sync = settings.durability === 'sync';
  // In sync mode the spool is the way to Kafka: spooling mode for good, the replayer sending as records come.
  let mode: 'direct' | 'spooling' = sync ? 'spooling' : 'direct';
  /** Sync mode: the last replay ended with the spool empty, so the next may skip the presence check. */
  let replayEndedEmpty = false;
  const durableWaiters = createDurableWaiters();
  const writeAhead = createWriteAhead(spool, () => lastSeq, (after, upTo, lost) => {
    durableWaiters.settle(upTo, lost);
    options.onDurable?.(after, upTo, lost);
  });
  /** Sequence number of the latest accepted publish; 0 stands for records recovered from disk. */
  let lastSeq = 0;
  let published = 0;
  let spooled = 0;
  let replayed = 0;
  let inFlight: DirectBatch | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;
  let replayer: Promise<void> | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;

  // ---- direct mode: queue → batches → Kafka --------------------------------------------------

  function onQueued(): void {
    if (queue.length >= settings.batchMaxRecords) pump();
    else if (lingerTimer === undefined && inFlight === undefined) {
      lingerTimer = setTimeout(() => {
        lingerTimer = undefined;
        pump();
      }, settings.lingerMs);
    }
  }

  function pump(): void {
    if (mode !== 'direct' || closed || inFlight !== undefined || queue.length === 0) return;
    clearTimeout(lingerTimer);
    lingerTimer = undefined;
    const firstSeq = lastSeq - queue.length + 1;
    const messages = queue.take(settings.batchMaxRecords);
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const batch: DirectBatch = { firstSeq, messages, acked: messages.map(() => false), owner: 'kafka', settled, settle };
    inFlight = batch;
    void sendDirect(batch);
  }

  async function sendDirect(batch: DirectBatch): Promise<void> {
    try {
      const indices = batch.messages.map((_, i) => i);
      for (const group of groupByTopic(indices, (i) => batch.messages[i].topic)) {
        const result = await sender.send(group.topic, group.items.map((i) => batch.messages[i]), () => batch.owner === 'kafka');
        // What Kafka took (or the quarantine kept) is never sent again, whoever owns the rest now.
        for (const i of group.items.slice(0, result.done)) batch.acked[i] = true;
        published += result.delivered;
        if (batch.owner === 'spool') return;
        if (result.outcome.kind !== 'acked') return await spillFailedBatch(batch, result.outcome);
        backoff.reset();
        outages.recovered();
      }
      inFlight = undefined;
    } catch (error) {
      logger.error({ err: error }, 'publishing a batch failed unexpectedly; spooling it');
      if (batch.owner === 'kafka') await spillFailedBatch(batch, { kind: 'failed', stage: 'send', error });
    } finally {
      batch.settle();
      settleWaiters();
      if (inFlight === undefined && mode === 'direct' && queue.length > 0) onQueued();
    }
  }

  /** The spool takes over a batch Kafka did not acknowledge: ahead of everything queued or published after it. */
  async function spillFailedBatch(batch: DirectBatch, outcome: Exclude<SendOutcome, { kind: 'acked' }>): Promise<void> {
    batch.owner = 'spool';
    if (inFlight === batch) inFlight = undefined;
    if (outcome.kind !== 'closed') outages.failed(outcome);
    if (mode === 'direct') enterSpooling(outcome.kind === 'timed-out' ? 'send timed out' : 'send failed', unackedOf(batch));
    // Otherwise the queue went to the spool already (it filled up, or the publisher is closing).
    else await spoolAhead(unackedOf(batch));
  }

  function unackedOf(batch: DirectBatch): Numbered[] {
    return batch.messages.flatMap((message, i) => (batch.acked[i] ? [] : [{ message, seq: batch.firstSeq + i }]));
  }

  // ---- spooling mode: everything to the spool, a replayer sends it --------------------------

  function enterSpooling(reason: string, first: readonly Numbered[]): void {
    if (mode === 'direct' && reason === 'closing') logger.info({ queued: queue.length, inFlight: first.length }, 'closing: writing the records still in memory to the spool');
    else if (mode === 'direct') logger.warn({ reason, queued: queue.length, inFlight: first.length }, 'Kafka is not keeping up; spooling records to disk');
    mode = 'spooling';
    clearTimeout(lingerTimer);
    lingerTimer = undefined;
    // The batch that was in flight is older than anything queued; it is never dropped for the cap.
    for (const { message, seq } of first) toSpool(message, seq, true);
    const firstQueuedSeq = lastSeq - queue.length + 1;
    queue.take(queue.length).forEach((message, i) => toSpool(message, firstQueuedSeq + i, false));
    startReplayer();
  }

  function toSpool(message: PublishedMessage, seq: number, beyondCap: boolean): boolean {
    const result = spool.append(message, beyondCap);
    if (result !== 'spooled') {
      drop(1, result);
      return false;
    }
    spooled++;
    spooledSeqs.push(seq);
    return true;
  }

  /** Puts a batch ahead of everything the spool holds. */
  async function spoolAhead(unacked: readonly Numbered[]): Promise<void> {
    const tooLarge = await spool.prepend(unacked.map((u) => u.message));
    spooled += unacked.length - tooLarge;
    spooledSeqs.unshift(unacked.map((u) => u.seq));
    if (tooLarge > 0) drop(tooLarge, 'too-large');
  }

  function startReplayer(): void {
    if (replayer !== undefined || closed) return;
    const inDoubt = !replayEndedEmpty;
    replayEndedEmpty = false;
    replayer = replaySpool({
      ...(options.presence !== undefined ? { presence: options.presence } : {}),
      spool,
      sender,
      batchMaxRecords: settings.batchMaxRecords,
      inDoubt,
      backoff,
      pauses,
      outages,
      logger,
      running: () => !closed && mode === 'spooling',
      directBatch: () => inFlight?.settled,
      onAcknowledged(count) {
        published += count;
        replayed += count;
      },
      onBatchDone(count) {
        spooledSeqs.shift(count);
        settleWaiters();
      },
      onEmpty: sync ? () => (replayEndedEmpty = true) : leaveSpooling,
    })
      .catch((error: unknown) => logger.error({ err: error }, 'spool replay stopped unexpectedly'))
      .finally(() => {
        replayer = undefined;
        // Sync mode: records appended while the replay was ending are sent now; later ones start it again.
        if (sync && replayEndedEmpty && !closed) return spool.isEmpty() ? undefined : startReplayer();
        // An unexpected stop must not leave records on disk with nobody sending them.
        if (mode === 'spooling' && !closed) setTimeout(startReplayer, settings.retryDelayMs.max).unref();
      });
  }

  function leaveSpooling(): void {
    mode = 'direct';
    spooledSeqs.clear();
    drops.flush('records were dropped while the spool was full');
    logger.info({ published, replayed, dropped: drops.total }, 'spool replayed; publishing to Kafka directly again');
    settleWaiters();
    pump();
  }

  // ---- accounting ----------------------------------------------------------------------------

  function drop(count: number, reason: string): void {
    drops.add(count, { reason, spoolBytes: spool.stats().bytes, spoolMaxBytes: settings.spoolMaxBytes });
  }

  /** The oldest sequence number not yet acknowledged (Infinity when none is owed). */
  function oldestOwed(): number {
    let oldest = Number.POSITIVE_INFINITY;
    if (inFlight !== undefined) {
      const index = inFlight.acked.indexOf(false);
      if (index >= 0) oldest = inFlight.firstSeq + index;
    }
    oldest = Math.min(oldest, spooledSeqs.first() ?? Number.POSITIVE_INFINITY);
    if (queue.length > 0) oldest = Math.min(oldest, lastSeq - queue.length + 1);
    return oldest;
  }

  function settleWaiters(): void {
    waiters.settle(oldestOwed, closed);
  }

  // ---- closing -------------------------------------------------------------------------------

  async function shutdown(graceMs: number): Promise<void> {
    closed = true;
    clearTimeout(lingerTimer);
    lingerTimer = undefined;
    pauses.wakeAll();
    const timers: NodeJS.Timeout[] = [];
    const after = (ms: number): Promise<'late'> => new Promise((resolve) => timers.push(setTimeout(() => resolve('late'), ms)));
    const graceOver = after(graceMs);
    try {
      // The queue exists only in memory: onto the disk first. A batch in flight that fails later goes ahead of it.
      if (mode === 'direct' && queue.length > 0) enterSpooling('closing', []);
      // Part of the grace for a send in flight (it gives up by itself after sendTimeoutMs): if Kafka
      // acknowledges it, a restart need not send it again.
      await Promise.race([Promise.all([inFlight?.settled, replayer]), after(Math.min(graceMs / 2, settings.sendTimeoutMs))]);
      const batch = inFlight;
      if (batch !== undefined && batch.owner === 'kafka') {
        batch.owner = 'spool';
        inFlight = undefined;
        if (mode === 'direct') enterSpooling('closing', unackedOf(batch));
        else await Promise.race([spoolAhead(unackedOf(batch)), graceOver]);
        batch.settle();
      } else if (batch !== undefined) {
        await Promise.race([batch.settled, graceOver]);
      }
      if ((await Promise.race([spool.close(), graceOver])) === 'late') {
        logger.error({ graceMs }, 'closing: the spool was not flushed within the grace period; records still in memory are lost if the process exits now');
      }
      await Promise.race([Promise.all([link.close(), quarantine.flush()]), graceOver]);
      drops.flush('records were dropped while the spool was full');
      const left = spool.stats();
      logger.info({ spoolRecords: left.records, spoolBytes: left.bytes, published, dropped: drops.total }, 'record publisher closed');
    } finally {
      for (const timer of timers) clearTimeout(timer);
      settleWaiters();
    }
  }

  // ---- start ---------------------------------------------------------------------------------

  const recovered = spool.stats().records;
  if (recovered > 0) {
    spooledSeqs.push(0, recovered);
    mode = 'spooling';
    logger.info({ spoolRecords: recovered, spoolBytes: spool.stats().bytes }, 'spool holds records from before a restart; replaying them first');
    startReplayer();
  } else {
    link.warmUp();
    // Sync mode sends from the spool from the first record on: nothing there can be in doubt yet.
    replayEndedEmpty = sync;
  }

  function publish(message: PublishedMessage): void {
    try {
      if (closed) return drop(1, 'closed');
      const seq = ++lastSeq;
      if (sync) {
        writeAhead.appended(seq, toSpool(message, seq, false));
        return startReplayer();
      }
      if (mode === 'direct') {
        if (queue.length < settings.queueMaxRecords) {
          queue.push(message);
          return onQueued();
        }
        enterSpooling('memory queue full', []);
      }
      toSpool(message, seq, false);
    } catch (error) {
      // A bug must cost one record, not the request that published it.
      logger.error({ err: error }, 'publish failed unexpectedly; record dropped');
      drop(1, 'error');
    }
  }

  return {
    publish,

    publishDurably(message) {
      publish(message);
      return sync && !closed ? durableWaiters.wait(lastSeq) : Promise.resolve(!closed);
    },

    stats() {
      return publisherStats({ published, spooled, replayed, dropped: drops.total, queued: queue.length, mode, kafkaHealthy: link.healthy(), truncated: sender.truncated, quarantined: quarantine.count }, spool.stats());
    },

    drained(timeoutMs) {
      const target = lastSeq;
      if (oldestOwed() > target) return Promise.resolve(true);
      if (closed) return Promise.resolve(false);
      return waiters.wait(target, timeoutMs);
    },

    close(closeOptions) {
      closing ??= shutdown(closeOptions?.graceMs ?? DEFAULT_GRACE_MS);
      return closing;
    },
  };
}
