// A pusher worker: runs every enabled job, shares one dead-letter producer, stops cleanly.
import type { Kafka } from 'kafkajs';
import { DEAD_LETTER_TOPIC, DEFAULT_DATASET_PARTITIONS, createRecordProducer, ensureTopics } from '@sluice/kafka';
import { NO_CUSTOM_FIELDS } from '@sluice/pipeline';
import type { CustomFieldsByZone, PushJob } from '@sluice/pipeline';
import type { DestinationRegistry } from '@sluice/destinations';
import { topicFor } from '@sluice/schemas';
import type { Logger } from '@sluice/logging';
import { createJobRunner } from './job-runner.js';
import type { JobRunner, JobRunnerDeps } from './job-runner.js';
import type { JobStatus } from './job-status.js';
import type { PusherEventListener } from './pusher-events.js';

export interface PusherOptions {
  jobs: readonly PushJob[];
  /** Custom fields by zone id; a zone without an entry logs no headers or cookies. */
  customFields?: CustomFieldsByZone;
  kafka: Kafka;
  destinations: DestinationRegistry;
  logger: Logger;
  onEvent?: PusherEventListener;
  /** Flush, commit and stop after this many seconds without a new record (scripts, benchmarks). */
  exitWhenIdleSeconds?: number;
  /** How long stop() waits for open batches to be delivered before abandoning them uncommitted. */
  stopDeadlineMs?: number;
  /** Delivery knobs applied to every job: retry backoff, in-flight bound, auto-disable. */
  delivery?: DeliveryKnobs;
}

export type DeliveryKnobs = Partial<Pick<JobRunnerDeps, 'retryPolicy' | 'maxBatchesInFlight' | 'rejectedRetryMs' | 'autoDisableAfterMs' | 'tickMs'>>;

export interface Pusher {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once the pusher has stopped, for whatever reason. */
  readonly stopped: Promise<void>;
  statuses(): JobStatus[];
}

export function createPusher(options: PusherOptions): Pusher {
  const log = options.logger;
  const runners: JobRunner[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const deadLettersReady = createRecordProducer(options.kafka);
  deadLettersReady.catch(() => undefined);

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(idleTimer);
      await Promise.all(runners.map((r) => r.stop(options.stopDeadlineMs)));
      await (await deadLettersReady.catch(() => undefined))?.close();
      markStopped();
    })();
    return stopping;
  };

  return {
    stopped,
    statuses: () => runners.map((r) => r.status()),
    stop,
    async start() {
      const enabled = options.jobs.filter((job) => job.enabled);
      const topics = [...new Set(enabled.map((job) => topicFor(job.dataset)))];
      await ensureTopics(options.kafka, [
        ...topics.map((topic) => ({ topic, numPartitions: DEFAULT_DATASET_PARTITIONS })),
        { topic: DEAD_LETTER_TOPIC, numPartitions: 1 },
      ]);
      const deadLetters = await deadLettersReady;
      for (const job of enabled) {
        const runner = createJobRunner({
          job,
          customFields: (job.scope.kind === 'zone' ? options.customFields?.get(job.scope.zoneId) : undefined) ?? NO_CUSTOM_FIELDS,
          kafka: options.kafka,
          destination: options.destinations.create(job.destinationConf),
          deadLetters,
          logger: log,
          ...options.delivery,
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        });
        runners.push(runner);
      }
      await Promise.all(runners.map((r) => r.start()));
      log.info({ jobs: runners.length, skipped_disabled: options.jobs.length - enabled.length }, 'pusher started');
      const idleSeconds = options.exitWhenIdleSeconds;
      if (idleSeconds !== undefined) {
        idleTimer = setInterval(() => {
          const quietSince = Math.max(...runners.map((r) => r.lastActivityMs()));
          if (Date.now() - quietSince >= idleSeconds * 1000) {
            log.info({ idle_seconds: idleSeconds }, 'idle; stopping');
            void stop();
          }
        }, 250);
      }
    },
  };
}
