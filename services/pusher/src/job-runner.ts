// Runs one push job: the consumer's lifecycle and the wiring of its stages (read → batch → seal → deliver → commit).
import type { Kafka } from 'kafkajs';
import { jobGroupId } from '@sluice/job-store';
import type { PositionLog, RecordProducer } from '@sluice/kafka';
import { compileJob, createRecordStage, idleCutDue } from '@sluice/pipeline';
import type { CustomFieldSet, PushJob } from '@sluice/pipeline';
import { DEFAULT_RETRY_POLICY } from '@sluice/destinations';
import type { Destination, RetryPolicy } from '@sluice/destinations';
import { topicFor } from '@sluice/schemas';
import type { Logger } from '@sluice/logging';
import { createJobStatus } from './job-status.js';
import type { JobStatus } from './job-status.js';
import type { PusherEventListener } from './pusher-events.js';
import type { JobConsumer } from './consumer/job-consumer.js';
import { createKafkaJobConsumer } from './consumer/kafka-job-consumer.js';
import { createOffsetCommitter } from './commit/offset-committer.js';
import { createStartPositions } from './commit/start-positions.js';
import { createDeadLetterWriter } from './dead-letter/dead-letter-writer.js';
import { createBatchDelivery } from './delivery/batch-delivery.js';
import { createSealedBatches } from './delivery/sealed-batches.js';
import { createOpenBatches } from './record-path/open-batches.js';
import { createPartitionReader } from './record-path/read-partition.js';
import { createMemoryBudget } from './memory/memory-budget.js';
import type { MemoryBudget } from './memory/memory-budget.js';
import { errorCode } from './pusher-errors.js';

export interface JobRunnerDeps {
  job: PushJob;
  /** The custom fields of the job's zone: what survives in RequestHeaders, ResponseHeaders and Cookies. */
  customFields: CustomFieldSet;
  /** Builds the job's consumer; or pass `consumer` (tests). */
  kafka?: Kafka;
  consumer?: JobConsumer;
  destination: Destination;
  deadLetters: Pick<RecordProducer, 'send'>;
  logger: Logger;
  onEvent?: PusherEventListener;
  now?: () => number;
  /** Sealed batches a job may have in delivery at once before it stops reading (default 4). */
  maxBatchesInFlight?: number;
  /** How often open batches are checked for idleness and commits made (default 1 s). */
  tickMs?: number;
  /** Longest wait between attempts after a destination rejected a batch outright (default 60 s; the waits back off up to it). */
  rejectedRetryMs?: number;
  /** Backoff for retryable failures, dead-letter writes and cut records (default: 0.5 s growing to 30 s, forever). */
  retryPolicy?: RetryPolicy;
  /**
   * Disable the job after its destination has failed without a single success for this long
   * (Logpush: 24 h, the default). Unlike Logpush nothing is dropped: the records wait in Kafka.
   */
  autoDisableAfterMs?: number;
  /** Keeps a copy of every commit, so the job resumes where it was even after Kafka expired its group's offsets. */
  positions?: PositionLog;
  /** Group session timeout of the job's consumer (default kafkajs's 30 s): how soon a dead worker's partitions move. */
  sessionTimeoutMs?: number;
  /**
   * Members of the job's group that start together (a threaded pusher's threads): the first generation that reads
   * waits for all of them, for at most 10 s, so that no thread reads records another then reads again. Default 1.
   */
  groupSiblings?: number;
  /** The worker's batch memory, shared by its jobs (default: a budget of this job's own). */
  memoryBudget?: MemoryBudget;
  /** The final status of the runner this one replaces, when the job was reconfigured: its totals go on. */
  carriedStatus?: JobStatus;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
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
/** Longest wait of a job's first reading generation for its sibling members: threads that start together join within it. */
const GATHER_HOLD_MS = 10_000;

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
   * what was delivered. Bounded by the deadline whatever is failing. Calling it again returns the first call's promise.
   */
  stop(deadlineMs?: number, mode?: StopMode): Promise<void>;
}

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { job, logger } = deps;
  const now = deps.now ?? Date.now;
  const compiled = compileJob(job, { customFields: deps.customFields });
  const topic = topicFor(job.dataset);
  const groupId = jobGroupId(job.id);
  const log = logger.child({ job_id: job.id, job_name: job.name });
  const tracker = createJobStatus(job.id, job.name, deps.destination.description, deps.carriedStatus);
  const retryPolicy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const rejectedMaxMs = deps.rejectedRetryMs ?? 60_000;
  const autoDisableAfterMs = deps.autoDisableAfterMs ?? DEFAULT_AUTO_DISABLE_AFTER_MS;
  const emit = deps.onEvent ?? (() => undefined);
  const sleepOption = deps.sleep ? { sleep: deps.sleep } : {};
  let markDisabled: () => void = () => undefined;
  const disabled = new Promise<void>((resolve) => (markDisabled = resolve));

  const consumer = deps.consumer ?? createKafkaJobConsumer({
      kafka: requireKafka(deps.kafka),
      groupId,
      topic,
      restartPolicy: retryPolicy,
      jobId: job.id,
      ...(deps.positions ? { positions: deps.positions } : {}),
      ...(deps.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: deps.sessionTimeoutMs } : {}),
      ...(deps.groupSiblings !== undefined && deps.groupSiblings > 1 ? { gather: { members: deps.groupSiblings, holdMs: GATHER_HOLD_MS } } : {}),
    });
  const positions = createStartPositions({ jobId: job.id, topic, tracker, log, now, ...(deps.positions ? { positionLog: deps.positions } : {}) });
  const committer = createOffsetCommitter({
    consumer,
    log,
    retryPolicy,
    ...sleepOption,
    onCommitted: (commits) => {
      emit({ type: 'offsets-committed', jobId: job.id, offsets: Object.fromEntries(commits.map((c) => [c.partition, c.offset])) });
      positions.recorded(commits);
    },
  });
  /** Aborted by an abandoning stop, or when a stop's deadline passes: every wait and delivery gives up. */
  const runAbort = new AbortController();
  const deadLetters = createDeadLetterWriter({
    producer: deps.deadLetters,
    jobId: job.id,
    topic,
    policy: retryPolicy,
    log,
    ...sleepOption,
    onFailure: (code, message) => tracker.troubled(code, message, now()),
  });
  const delivery = createBatchDelivery({
    jobId: job.id,
    topic,
    destination: deps.destination,
    retryPolicy,
    rejectedPolicy: { initialDelayMs: Math.min(5_000, rejectedMaxMs), maxDelayMs: rejectedMaxMs, multiplier: 2, maxAttempts: Infinity },
    deadLetters,
    tracker,
    log,
    emit,
    now,
    ...sleepOption,
  });
  const budget = deps.memoryBudget ?? createMemoryBudget();
  const open = createOpenBatches(compiled.framing, { jobId: job.id, wireEncoding: deps.destination.wireEncoding });
  const maxInFlight = deps.maxBatchesInFlight ?? 4;
  let stopping = false;
  const sealed = createSealedBatches({
    committer,
    delivery,
    tracker,
    budget,
    log,
    maxInFlight,
    runSignal: runAbort.signal,
    onBroken: (error) => {
      tracker.troubled('BATCH_BROKEN', (error as Error).message, now());
      // The broken batch holds its partition's commit for good: a new generation reads it again.
      if (!stopping) void consumer.restart().catch((restartError: unknown) => log.error({ err: restartError }, 'consumer restart failed'));
    },
  });
  const unregister = budget.register(() => open.memoryBytes() + sealed.memoryBytes());

  function sealFor(partition: number, reason: 'idle' | 'shutdown' | 'memory'): boolean {
    const progress = committer.progressOf(partition);
    const batch = open.get(partition);
    if (!progress || !batch || batch.records === 0) return false;
    // Records an earlier owner may have stored already are cut only where that owner cut them (see mayCutEarly);
    // at a stop they are left, with their cut, to the next owner.
    if (!progress.mayCutEarly(batch.firstOffset)) return false;
    // A clock-made cut is committed as metadata: when Kafka's limit for that is reached, the batch waits for a cut of its own.
    if (!committer.cutFits(partition, { from: batch.firstOffset, to: Number.MAX_SAFE_INTEGER })) return false;
    open.take(partition);
    sealed.seal(committer.generation, partition, progress, batch, reason);
    return true;
  }

  /** When the worker's batch memory is spent, seals this job's largest open batch early (counted by the caller). */
  function relieveMemory(): boolean {
    if (!budget.overBudget()) return false;
    const largest = open.largest((partition, batch) => committer.progressOf(partition)?.mayCutEarly(batch.firstOffset) === true);
    return largest !== undefined && sealFor(largest, 'memory');
  }

  let lastActivity = now();
  const startedAt = lastActivity;
  /** Whether the job has been given a partition yet: before that, it counts as busy for up to GATHER_HOLD_MS. */
  let heldPartitions = false;
  const read = createPartitionReader({
    jobId: job.id,
    topic,
    stage: createRecordStage(compiled),
    limits: compiled.limits,
    committer,
    open,
    sealed,
    deadLetters,
    tracker,
    log,
    emit,
    now: () => (lastActivity = now()),
    stopping: () => stopping,
    runSignal: runAbort.signal,
    relieveMemory,
  });
  /** The first record time of the oldest batch held, open or in delivery. */
  function oldestUndelivered(): string | null {
    let oldest = sealed.oldestRecordMs();
    for (const [, batch] of open.entries()) if (batch.records > 0 && (oldest === undefined || batch.firstTimeMs < oldest)) oldest = batch.firstTimeMs;
    return oldest === undefined || !Number.isFinite(oldest) ? null : new Date(oldest).toISOString();
  }
  let processing: Promise<void> = Promise.resolve();
  let ticker: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;

  function tick(): void {
    const clock = now();
    tracker.status.batches_in_flight = sealed.size;
    const failingSince = tracker.failingSinceMs();
    if (failingSince !== undefined && clock - failingSince >= autoDisableAfterMs && !stopping) {
      autoDisable(clock - failingSince);
      return;
    }
    // A job that reads nothing still gives memory back when the worker needs it.
    if (relieveMemory()) tracker.status.batches_sealed_for_memory++;
    for (const [partition, batch] of open.entries()) {
      // At the bound an idle batch waits unsealed: it takes no records while reading is paused.
      if (sealed.size >= maxInFlight) break;
      if (idleCutDue(batch, compiled.limits, clock)) sealFor(partition, 'idle');
    }
    void committer.commitDue();
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
    status: () => ({ ...tracker.status, batches_in_flight: sealed.size, oldest_undelivered: oldestUndelivered() }),
    lastActivityMs: () => (heldPartitions ? lastActivity : Math.max(lastActivity, startedAt + GATHER_HOLD_MS)),
    async start() {
      const seeded = await consumer.seed({ ...(job.startFrom !== undefined ? { startFrom: job.startFrom } : {}), now: new Date(now()) });
      positions.seeded(seeded);
      await consumer.start({
        eachBatch: (batch) => (processing = read(batch)),
        assigned: (partitions) => {
          // A new generation re-reads every assigned partition from its committed offset:
          // drop open batches; the old generation's deliveries stop at their next wait.
          committer.assigned(partitions);
          open.abandonAll();
          // A rebalance is the group at work, not idleness; and until the first partitions come (siblings gathering, a
          // slow first join on a new broker) the job has not had its chance to read.
          lastActivity = now();
          if (partitions.length > 0) heldPartitions = true;
          log.info({ partitions }, 'partitions assigned');
        },
        revoked: () => committer.revoked(),
        crashed: (error, restartInMs) => {
          tracker.status.consumer_restarts++;
          const code = `CONSUMER_${errorCode(error, 'CRASHED')}`;
          tracker.troubled(code, `the Kafka consumer failed (${error.message}); restarting in ${Math.round(restartInMs / 1000)} s`, now());
          log.error({ err: error, code, restart_in_ms: restartInMs }, 'consumer crashed; restarting');
        },
      });
      ticker = setInterval(tick, deps.tickMs ?? 1_000);
      ticker.unref();
      emit({ type: 'job-started', jobId: job.id, name: job.name, destination: deps.destination.description, seeded: seeded.length });
      log.info({ destination: deps.destination.description, topic, group: groupId }, 'job started');
    },
    stop(deadlineMs = 10_000, mode: StopMode = 'deliver') {
      stopped ??= (async () => {
        stopping = true;
        // Abandoning: cut deliveries (and a read waiting for one to end) short before anything else.
        if (mode === 'abandon') runAbort.abort();
        // At the deadline every wait gives up: deliveries, dead-letter writes, reads of committed offsets.
        const deadline = setTimeout(() => {
          runAbort.abort();
          committer.revoked();
        }, deadlineMs);
        consumer.pause();
        clearInterval(ticker);
        await processing.catch(() => undefined);
        if (mode === 'deliver') {
          for (const [partition] of [...open.entries()]) sealFor(partition, 'shutdown');
        }
        open.abandonAll();
        await sealed.settled();
        clearTimeout(deadline);
        // Kafka may be what is failing: the last commit and leaving the group get a few seconds, not forever.
        await withinMs(committer.commitDue(), FINAL_STEP_MS);
        await withinMs(consumer.stop(), FINAL_STEP_MS);
        unregister();
        emit({ type: 'job-stopped', jobId: job.id });
        log.info({ delivered: tracker.status.records_delivered, mode }, 'job stopped');
      })();
      return stopped;
    },
  };
  return runner;
}

/** How long stop() gives its last commit, and leaving the group, each. */
const FINAL_STEP_MS = 5_000;

/** Resolves when `work` settles or after `ms`, whichever comes first; `work` goes on unobserved. */
function withinMs(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

function requireKafka(kafka: Kafka | undefined): Kafka {
  if (!kafka) throw new Error('a job runner needs either kafka or consumer');
  return kafka;
}
