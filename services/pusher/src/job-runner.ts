// Runs one push job: its own consumer group, per-partition batches, delivery with retry, commits after delivery.
import { setMaxListeners } from 'node:events';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { CONSUMER_FETCH_SETTINGS, seedGroupOffsets, DEAD_LETTER_TOPIC, deadLetterHeaders } from '@sluice/kafka';
import type { RecordProducer, OutgoingRecord } from '@sluice/kafka';
import { compileJob, createGzipBatch } from '@sluice/pipeline';
import type { CustomFieldSet, GzipBatch, PushJob } from '@sluice/pipeline';
import { abortableSleep, withRetry } from '@sluice/destinations';
import type { Destination, RefusedRecord, RetryPolicy } from '@sluice/destinations';
import { topicFor } from '@sluice/schemas';
import type { Logger } from '@sluice/logging';
import { PartitionProgress } from './partition-progress.js';
import type { BatchInFlight } from './partition-progress.js';
import { createJobStatus } from './job-status.js';
import type { JobStatus } from './job-status.js';
import { batchSuffix } from './batch-suffix.js';
import type { PusherEventListener } from './pusher-events.js';

export interface JobRunnerDeps {
  job: PushJob;
  /** The custom fields of the job's zone: what survives in RequestHeaders, ResponseHeaders and Cookies. */
  customFields: CustomFieldSet;
  kafka: Kafka;
  destination: Destination;
  deadLetters: RecordProducer;
  logger: Logger;
  onEvent?: PusherEventListener;
  now?: () => number;
  /** Sealed batches a job may have in delivery at once before it stops reading (default 4). */
  maxBatchesInFlight?: number;
  /** How often open batches are checked for age and commits made (default 1 s). */
  tickMs?: number;
  /** Wait between attempts after a destination rejected a batch outright (default 60 s). */
  rejectedRetryMs?: number;
  /** Backoff for retryable failures (default: 0.5 s growing to 30 s, forever). */
  retryPolicy?: RetryPolicy;
  /**
   * Disable the job after its destination has failed without a single success for this long
   * (Logpush: 24 h, the default). Unlike Logpush nothing is dropped: the records wait in Kafka.
   */
  autoDisableAfterMs?: number;
  /** The final status of the runner this one replaces, when the job was reconfigured: its totals go on. */
  carriedStatus?: JobStatus;
}

/**
 * How stop() ends the work in hand. `deliver` seals open batches and delivers them within the
 * deadline (a shutdown, a disabled job, a new filter). `abandon` drops open batches and cuts
 * deliveries short at once (a new destination: what the old one has not taken goes to the new one).
 * Either way only delivered records are committed; the rest are read again by the next runner.
 */
export type StopMode = 'deliver' | 'abandon';

/** Logpush disables a job whose destination has been failing for a day. */
export const DEFAULT_AUTO_DISABLE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface JobRunner {
  readonly job: PushJob;
  status(): JobStatus;
  /** Resolves when the job stops by itself (auto-disabled), never otherwise. */
  readonly disabled: Promise<void>;
  /** When the job last read a record (ms since the epoch); its start time before any. */
  lastActivityMs(): number;
  start(): Promise<void>;
  /**
   * Stops reading, delivers open batches within the deadline (or drops them: `abandon`), commits
   * what was delivered. Calling it again returns the first call's promise.
   */
  stop(deadlineMs?: number, mode?: StopMode): Promise<void>;
}

interface PartitionState {
  progress: PartitionProgress;
  batch: GzipBatch | null;
}

/** One abort for every delivery of a generation: each waiting delivery listens, so the default limit of 10 listeners is no limit here. */
function newDeliveryAbort(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { job, kafka, logger } = deps;
  const now = deps.now ?? Date.now;
  const maxInFlight = deps.maxBatchesInFlight ?? 4;
  const compiled = compileJob(job, { customFields: deps.customFields });
  const topic = topicFor(job.dataset);
  const groupId = `sluice-job-${job.id}`;
  const log = logger.child({ job_id: job.id, job_name: job.name });
  const tracker = createJobStatus(job.id, job.name, deps.destination.description, deps.carriedStatus);
  const autoDisableAfterMs = deps.autoDisableAfterMs ?? DEFAULT_AUTO_DISABLE_AFTER_MS;
  let markDisabled: () => void = () => undefined;
  const disabled = new Promise<void>((resolve) => (markDisabled = resolve));
  const emit = deps.onEvent ?? (() => undefined);
  const consumer: Consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    ...CONSUMER_FETCH_SETTINGS,
  });

  const partitions = new Map<number, PartitionState>();
  const inFlight = new Set<Promise<void>>();
  let generation = 0;
  let deliveryAbort = newDeliveryAbort();
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let lastActivity = now();
  let ticker: NodeJS.Timeout | undefined;
  let commitChain: Promise<void> = Promise.resolve();
  let processing: Promise<void> = Promise.resolve();

  const destination = withRetry(deps.destination, {
    ...(deps.retryPolicy ? { policy: deps.retryPolicy } : {}),
    onRetry: ({ attempt, delayMs, result }) => {
      tracker.retried(result.code);
      tracker.failed(result.code, result.message, now());
      log.warn({ code: result.code, attempt, delay_ms: delayMs, err_message: result.message }, 'delivery failed; retrying');
    },
  });

  const stateFor = (partition: number, firstOffset: string): PartitionState => {
    let state = partitions.get(partition);
    if (!state) {
      // A new assignment reads from the group's committed offset: that is where this batch starts.
      state = { progress: new PartitionProgress(Number(firstOffset)), batch: null };
      partitions.set(partition, state);
    }
    return state;
  };

  const scopeMatches = (headers: IHeaders | undefined): boolean | undefined => {
    const value = headers?.[compiled.scopeHeader];
    if (value === undefined) return undefined;
    const bytes = Array.isArray(value) ? value[0] : value;
    if (bytes === undefined) return undefined;
    return Buffer.isBuffer(bytes) ? bytes.equals(compiled.scopeIdBytes) : bytes === compiled.scopeId;
  };

  function commitIfDue(): Promise<void> {
    const due: { partition: number; offset: number }[] = [];
    for (const [partition, state] of partitions) {
      const offset = state.progress.commitDue();
      if (offset !== undefined) due.push({ partition, offset });
    }
    if (due.length === 0) return commitChain;
    const gen = generation;
    commitChain = commitChain.then(async () => {
      try {
        await consumer.commitOffsets(due.map((d) => ({ topic, partition: d.partition, offset: String(d.offset) })));
        if (gen !== generation) return;
        for (const d of due) {
          const state = partitions.get(d.partition);
          if (state && d.offset > state.progress.committed) state.progress.committed = d.offset;
        }
        emit({ type: 'offsets-committed', jobId: job.id, offsets: Object.fromEntries(due.map((d) => [d.partition, d.offset])) });
      } catch (error) {
        log.warn({ err: error }, 'offset commit failed; it will be retried');
      }
    });
    return commitChain;
  }

  async function deliver(partition: number, batch: GzipBatch, entry: BatchInFlight, gen: number, signal: AbortSignal): Promise<void> {
    const sealed = await batch.seal();
    const suffix = batchSuffix(job.id, partition, sealed.firstOffset);
    for (;;) {
      const result = await destination.deliver({ ...sealed, suffix, origin: { jobId: job.id, partition, offsets: sealed.offsets } }, signal);
      if (result.status === 'delivered') {
        const refused = result.refused?.length ?? 0;
        if (refused > 0) await deadLetterRefused(partition, result.refused ?? []);
        entry.delivered = true;
        tracker.delivered(result.location, sealed.records - refused, sealed.uncompressedBytes, sealed.body.length, sealed.endTimeMs);
        emit({ type: 'batch-delivered', jobId: job.id, partition, location: result.location, records: sealed.records - refused, bytes: sealed.uncompressedBytes, compressedBytes: sealed.body.length });
        if (gen === generation) await commitIfDue();
        return;
      }
      if (signal.aborted) return;
      // Rejected outright (credentials, a missing bucket): the records stay in Kafka while someone fixes it.
      tracker.failed(result.code, result.message, now());
      emit({ type: 'batch-failed', jobId: job.id, partition, code: result.code, message: result.message, willRetry: true });
      log.error({ code: result.code, err_message: result.message, partition, first_offset: sealed.firstOffset }, 'destination rejected the batch; retrying later');
      await abortableSleep(deps.rejectedRetryMs ?? 60_000, signal);
      if (signal.aborted) return;
    }
  }

  /** Records the destination took the batch without, for good: kept in the dead-letter topic before the batch counts as delivered. */
  async function deadLetterRefused(partition: number, refused: readonly RefusedRecord[]): Promise<void> {
    const letters = refused.map((record) => {
      const offset = String(record.offset);
      tracker.status.records_dead_lettered++;
      emit({ type: 'record-dead-lettered', jobId: job.id, topic, partition, offset, code: record.code });
      log.warn({ topic, partition, offset, code: record.code, reason: record.reason }, 'destination refused a record; sent to the dead-letter topic');
      return { value: Buffer.from(record.document), headers: deadLetterHeaders({ jobId: job.id, reasonCode: record.code, reason: record.reason, topic, partition, offset }) };
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.deadLetters.send(DEAD_LETTER_TOPIC, letters);
        return;
      } catch (error) {
        // The batch is not delivered until its refusals are kept: Kafka holds them meanwhile.
        log.warn({ err: error, attempt }, 'dead-letter write failed; retrying');
        await abortableSleep(Math.min(30_000, 500 * 2 ** attempt), deliveryAbort.signal);
      }
    }
  }

  function seal(partition: number, state: PartitionState): void {
    const batch = state.batch;
    if (!batch || batch.records === 0) return;
    state.batch = null;
    const entry = state.progress.sealed(batch.firstOffset);
    const promise = deliver(partition, batch, entry, generation, deliveryAbort.signal)
      .catch((error: unknown) => log.error({ err: error, partition }, 'batch delivery crashed'))
      .finally(() => inFlight.delete(promise));
    inFlight.add(promise);
  }

  /** At the bound of sealed batches in delivery, the job stops reading (its memory is bounded) and resumes as deliveries end. */
  async function waitForCapacity(heartbeat: () => Promise<void>): Promise<void> {
    if (inFlight.size < maxInFlight || stopping) return;
    tracker.status.consumption_paused = true;
    log.info({ batches_in_flight: inFlight.size }, 'consumption paused until a delivery ends');
    while (inFlight.size >= maxInFlight && !stopping) {
      await Promise.race([...inFlight, abortableSleep(2_000, deliveryAbort.signal)]);
      await heartbeat();
    }
    tracker.status.consumption_paused = false;
    log.info('consumption resumed');
  }

  async function sendDeadLetters(letters: OutgoingRecord[], held: PartitionProgress): Promise<void> {
    if (letters.length === 0) return;
    await deps.deadLetters.send(DEAD_LETTER_TOPIC, letters);
    held.release();
  }

  function deadLetter(letters: OutgoingRecord[], state: PartitionState, partition: number, message: KafkaMessage, code: string, reason: string): void {
    state.progress.holdFrom(Number(message.offset));
    letters.push({ value: message.value ?? Buffer.alloc(0), headers: deadLetterHeaders({ jobId: job.id, reasonCode: code, reason, topic, partition, offset: message.offset }) });
    tracker.status.records_dead_lettered++;
    emit({ type: 'record-dead-lettered', jobId: job.id, topic, partition, offset: message.offset, code });
    log.warn({ topic, partition, offset: message.offset, code, reason }, 'record sent to the dead-letter topic');
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const gen = generation;
    const partition = batch.partition;
    const first = batch.messages[0];
    if (!first) return;
    // Batches sealed by age (tick) count against the bound too: no reading past it.
    await waitForCapacity(() => payload.heartbeat());
    if (gen !== generation || !payload.isRunning() || payload.isStale()) return;
    const state = stateFor(partition, first.offset);
    const letters: OutgoingRecord[] = [];
    const status = tracker.status;
    let clock = now();
    lastActivity = clock;
    for (const message of batch.messages) {
      if (stopping || gen !== generation || !payload.isRunning() || payload.isStale()) break;
      const offset = Number(message.offset);
      status.records_consumed++;
      const headerScope = scopeMatches(message.headers);
      if (headerScope === false) {
        status.records_out_of_scope++;
      } else {
        const decoded = compiled.decode(message.value ?? Buffer.alloc(0));
        if (!decoded.ok) deadLetter(letters, state, partition, message, decoded.code, decoded.message);
        else if (headerScope === undefined && !compiled.inScope(decoded.record)) status.records_out_of_scope++;
        else if (compiled.filter && !compiled.filter(decoded.record)) status.records_filtered_out++;
        else if (compiled.sample && !compiled.sample(partition, offset)) status.records_sampled_out++;
        else {
          let line: string | undefined;
          try {
            compiled.project?.(decoded.record);
            line = compiled.render(decoded.record);
          } catch (error) {
            deadLetter(letters, state, partition, message, 'RENDER_FAILED', (error as Error).message);
          }
          if (line !== undefined) {
            if (!state.batch) {
              state.batch = createGzipBatch(compiled.framing, clock);
              state.progress.openBatchAt(offset);
            }
            state.batch.add(line, offset, Number(message.timestamp));
          }
        }
      }
      state.progress.consumed(offset);
      payload.resolveOffset(message.offset);
      if (state.batch && state.batch.records % 256 === 0) clock = now();
      if (state.batch?.isFull(compiled.limits, clock)) {
        seal(partition, state);
        await sendDeadLetters(letters.splice(0), state.progress);
        await waitForCapacity(() => payload.heartbeat());
        clock = now();
      }
    }
    await sendDeadLetters(letters, state.progress);
  }

  function tick(): void {
    const clock = now();
    tracker.status.batches_in_flight = inFlight.size;
    const failingSince = tracker.failingSinceMs();
    if (failingSince !== undefined && clock - failingSince >= autoDisableAfterMs && !stopping) {
      autoDisable(clock - failingSince);
      return;
    }
    for (const [partition, state] of partitions) {
      // At the bound an aged batch waits unsealed: it takes no records while reading is paused.
      if (inFlight.size >= maxInFlight) break;
      if (state.batch?.isFull(compiled.limits, clock)) seal(partition, state);
    }
    void commitIfDue();
  }

  /** The destination has failed for too long: stop without committing what it did not take. */
  function autoDisable(failingForMs: number): void {
    tracker.disabled(`destination failing for ${Math.round(failingForMs / 1000)} s without a successful delivery`);
    log.error({ failing_for_ms: failingForMs, error_message: tracker.status.error_message }, 'job disabled: its destination kept failing; undelivered records stay in Kafka');
    emit({ type: 'job-disabled', jobId: job.id, reason: tracker.status.disabled_reason ?? '' });
    void runner.stop(0).then(markDisabled);
  }

  const runner: JobRunner = {
    job,
    disabled,
    status: () => ({ ...tracker.status, batches_in_flight: inFlight.size }),
    lastActivityMs: () => lastActivity,
    async start() {
      const admin = kafka.admin();
      await admin.connect();
      let seeded = 0;
      try {
        seeded = (await seedGroupOffsets(admin, groupId, topic, job.startFrom ?? new Date(now()))).length;
      } finally {
        await admin.disconnect();
      }
      consumer.on(consumer.events.GROUP_JOIN, () => {
        // A new generation re-reads every assigned partition from its committed offset:
        // drop open batches and stop retrying the old generation's deliveries.
        generation++;
        for (const state of partitions.values()) state.batch?.abandon();
        partitions.clear();
        deliveryAbort.abort();
        deliveryAbort = newDeliveryAbort();
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => (processing = eachBatch(payload)),
      });
      ticker = setInterval(tick, deps.tickMs ?? 1_000);
      ticker.unref();
      emit({ type: 'job-started', jobId: job.id, name: job.name, destination: deps.destination.description, seeded });
      log.info({ destination: deps.destination.description, topic, group: groupId }, 'job started');
    },
    stop(deadlineMs = 10_000, mode: StopMode = 'deliver') {
      stopped ??= (async () => {
        stopping = true;
        // Abandoning: cut deliveries (and a read waiting for one to end) short before anything else.
        if (mode === 'abandon') deliveryAbort.abort();
        try {
          consumer.pause([{ topic }]);
        } catch {
          // Never started (start failed before run): there is nothing to pause.
        }
        clearInterval(ticker);
        await processing.catch(() => undefined);
        for (const [partition, state] of partitions) {
          if (mode === 'deliver') {
            seal(partition, state);
          } else if (state.batch) {
            state.batch.abandon();
            state.batch = null;
            state.progress.abandonedOpen();
          }
        }
        const settled = Promise.allSettled([...inFlight]);
        const timer = setTimeout(() => deliveryAbort.abort(), deadlineMs);
        await settled;
        clearTimeout(timer);
        await commitIfDue();
        await consumer.disconnect();
        emit({ type: 'job-stopped', jobId: job.id });
        log.info({ delivered: tracker.status.records_delivered, mode }, 'job stopped');
      })();
      return stopped;
    },
  };
  return runner;
}
