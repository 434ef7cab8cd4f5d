// A pusher worker: runs every enabled job of a jobs file or of the job store, follows the store live, stops cleanly.
import { hostname } from 'node:os';
import type { Kafka } from 'kafkajs';
import { DEAD_LETTER_TOPIC, DEFAULT_DATASET_PARTITIONS, POSITION_TOPIC_SPEC, createPositionLog, createRecordProducer, ensureTopics } from '@sluice/kafka';
import type { PositionLog, RecordProducer } from '@sluice/kafka';
import type { CustomFieldsByZone, PushJob } from '@sluice/pipeline';
import type { DestinationRegistry } from '@sluice/destinations';
import type { HealthStore, JobStore } from '@sluice/job-store';
import { topicFor } from '@sluice/schemas';
import type { Logger } from '@sluice/logging';
import { createJobRunner } from './job-runner.js';
import type { JobRunner, JobRunnerDeps } from './job-runner.js';
import type { JobStatus } from './job-status.js';
import type { PusherEventListener } from './pusher-events.js';
import { fixedJobSource, storeJobSource } from './job-source.js';
import { createJobSupervisor } from './job-supervisor.js';
import type { RunnerFactory } from './job-supervisor.js';
import { createHealthReporter } from './health-reporter.js';
import { createMemoryBudget } from './memory/memory-budget.js';

interface CommonPusherOptions {
  kafka: Kafka;
  destinations: DestinationRegistry;
  logger: Logger;
  onEvent?: PusherEventListener;
  /** Flush, commit and stop after this many seconds without a new record (scripts, benchmarks). */
  exitWhenIdleSeconds?: number;
  /** How long stopping a job waits for open batches to be delivered before abandoning them uncommitted (default 10 s). */
  stopDeadlineMs?: number;
  /** Delivery knobs applied to every job: retry backoff, in-flight bound, auto-disable. */
  delivery?: DeliveryKnobs;
  /** Where each job's health is published (API mode); without it, health is only in statuses() and the status server. */
  health?: HealthStore;
  /** Names this worker in health reports (default `<hostname>-<pid>`). */
  workerId?: string;
  /** A job's health is published at least this often, and at once when its Logpush health changes (default 5 s). */
  healthIntervalMs?: number;
  /** How often every job is checked against its source, besides on each change (default 1 s). */
  reconcileMs?: number;
  /** Batch memory (open and sealed batches) of all jobs together, in bytes (default 128 MiB). */
  memoryBudgetBytes?: number;
}

/** File mode: a fixed list of jobs, as parsed from a jobs file. */
export interface FixedJobsOptions {
  jobs: readonly PushJob[];
  /** Custom fields by zone id; a zone without an entry logs no headers or cookies. */
  customFields?: CustomFieldsByZone;
  store?: undefined;
}

/** API mode: the jobs of a job store, followed live: created, changed, disabled and deleted jobs take effect without a restart. */
export interface StoreJobsOptions {
  store: JobStore;
  /** Lowest `max_upload_interval_seconds` this worker runs (default Logpush's 30; see SLUICE_MIN_UPLOAD_INTERVAL_SECONDS). */
  minUploadIntervalSeconds?: number;
  jobs?: undefined;
}

export type PusherOptions = CommonPusherOptions & (FixedJobsOptions | StoreJobsOptions);

export type DeliveryKnobs = Partial<Pick<JobRunnerDeps, 'retryPolicy' | 'maxBatchesInFlight' | 'rejectedRetryMs' | 'autoDisableAfterMs' | 'tickMs' | 'sessionTimeoutMs' | 'groupSiblings'>>;

export interface Pusher {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once the pusher has stopped, for whatever reason. */
  readonly stopped: Promise<void>;
  /** Each job this worker runs, and each enabled job it cannot run or that disabled itself. */
  statuses(): JobStatus[];
}

export function createPusher(options: PusherOptions): Pusher {
  const log = options.logger;
  const { kafka } = options;
  let idleTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  // A few retries per send: the dead-letter writer retries under the job's policy, and its waits end at a stop.
  const deadLettersReady = createRecordProducer(kafka, { retries: 5 });
  const memoryBudget = createMemoryBudget(options.memoryBudgetBytes);
  let positions: PositionLog | undefined;
  deadLettersReady.catch(() => undefined);
  let deadLetters: RecordProducer | undefined;

  const source = options.store
    ? storeJobSource(options.store, {
        checkDestination: (conf) => options.destinations.check(conf),
        ...(options.minUploadIntervalSeconds !== undefined ? { minUploadIntervalSeconds: options.minUploadIntervalSeconds } : {}),
      })
    : fixedJobSource(options.jobs, options.customFields);

  /** Dataset topics are created when the first job reading them starts; the broker does not auto-create them. */
  const topicsEnsured = new Map<string, Promise<void>>();
  const ensureDatasetTopic = (topic: string): Promise<void> => {
    let ensured = topicsEnsured.get(topic);
    if (!ensured) {
      ensured = ensureTopics(kafka, [{ topic, numPartitions: DEFAULT_DATASET_PARTITIONS }]);
      topicsEnsured.set(topic, ensured);
      ensured.catch(() => topicsEnsured.delete(topic));
    }
    return ensured;
  };

  const createRunner: RunnerFactory = ({ job, customFields }, carried) => {
    if (!deadLetters) throw new Error('the pusher has not started');
    const destination = options.destinations.create(job.destinationConf);
    const runner = createJobRunner({
      job,
      customFields,
      kafka,
      destination,
      deadLetters,
      logger: log,
      memoryBudget,
      ...(positions ? { positions } : {}),
      ...options.delivery,
      ...(carried ? { carriedStatus: carried } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    let released: Promise<void> | undefined;
    const owned: JobRunner = {
      ...runner,
      async start() {
        await ensureDatasetTopic(topicFor(job.dataset));
        await runner.start();
      },
      // A replaced runner must not leave its destination's connections behind.
      stop: (deadlineMs, mode) =>
        (released ??= runner.stop(deadlineMs, mode).finally(() => destination.close().catch((error: unknown) => log.warn({ err: error, job_id: job.id }, 'destination did not close')))),
    };
    return owned;
  };

  const supervisor = createJobSupervisor({
    source,
    createRunner,
    logger: log,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.reconcileMs !== undefined ? { reconcileMs: options.reconcileMs } : {}),
    ...(options.stopDeadlineMs !== undefined ? { stopDeadlineMs: options.stopDeadlineMs } : {}),
  });

  const reporter = options.health
    ? createHealthReporter({
        health: options.health,
        statuses: () => supervisor.statuses(),
        worker: options.workerId ?? `${hostname()}-${process.pid}`,
        logger: log,
        ...(options.healthIntervalMs !== undefined ? { intervalMs: options.healthIntervalMs } : {}),
      })
    : undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(idleTimer);
      await supervisor.stop();
      await reporter?.stop();
      await (await deadLettersReady.catch(() => undefined))?.close();
      markStopped();
    })();
    return stopping;
  };

  return {
    stopped,
    statuses: () => supervisor.statuses(),
    stop,
    async start() {
      await ensureTopics(kafka, [{ topic: DEAD_LETTER_TOPIC, numPartitions: 1 }, POSITION_TOPIC_SPEC]);
      deadLetters = await deadLettersReady;
      positions = createPositionLog(kafka, deadLetters);
      await supervisor.start();
      reporter?.start();
      // Idleness counts from when the jobs are running: connecting (TLS, SASL, a slow broker) is not idle time.
      const startedAt = Date.now();
      log.info({ jobs: supervisor.runners().length, mode: options.store ? 'store' : 'file' }, 'pusher started');
      const idleSeconds = options.exitWhenIdleSeconds;
      if (idleSeconds !== undefined) {
        idleTimer = setInterval(() => {
          const quietSince = Math.max(startedAt, ...supervisor.runners().map((r) => r.lastActivityMs()));
          if (Date.now() - quietSince >= idleSeconds * 1000) {
            log.info({ idle_seconds: idleSeconds }, 'idle; stopping');
            void stop();
          }
        }, 250);
      }
    },
  };
}
