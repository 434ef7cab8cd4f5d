// Inside a pusher thread: its own Kafka client, destinations and job source, built from the cloneable settings, around createPusher.
import { createKafkaClient } from '@sluice/kafka';
import { createAddressGuard, createGuardedDestinations, defaultDestinations, parseAllowList } from '@sluice/destinations';
import type { DestinationRegistry } from '@sluice/destinations';
import { createKafkaJobStore } from '@sluice/job-store';
import type { Logger } from '@sluice/logging';
import { codedError } from '../pusher-errors.js';
import { createPusher } from '../pusher.js';
import type { Pusher } from '../pusher.js';
import type { PusherEventListener } from '../pusher-events.js';
import { loadJobsFile } from '../jobs-file.js';
import type { PusherThreadSetup, ThreadDestinations } from './thread-messages.js';

export interface ThreadPusher {
  readonly pusher: Pusher;
  /** Releases what the thread opened beside the pusher (the job store); after the pusher has stopped. */
  close(): Promise<void>;
}

function destinationsOf(settings: ThreadDestinations): DestinationRegistry {
  if (settings.kind === 'default') return defaultDestinations;
  const parsed = parseAllowList(settings.allowHosts);
  if (!parsed.ok) throw codedError('PUSHER_THREAD_SETTINGS', `allowed destination hosts: ${parsed.message}`);
  return createGuardedDestinations({ guard: createAddressGuard({ allow: parsed.allow }) }).registry;
}

/** Throws (a coded error, or the jobs file's own) when the settings cannot be used; the main thread validated them already. */
export async function buildThreadPusher(setup: PusherThreadSetup, logger: Logger, onEvent: PusherEventListener): Promise<ThreadPusher> {
  const { settings } = setup;
  const kafka = createKafkaClient({ brokers: settings.kafka.brokers, clientId: settings.kafka.clientId, logger, security: settings.kafka.security });
  const destinations = destinationsOf(settings.destinations);
  const common = {
    kafka,
    destinations,
    logger,
    onEvent,
    workerId: setup.workerId,
    ...(setup.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: setup.memoryBudgetBytes } : {}),
    ...(settings.exitWhenIdleSeconds !== undefined ? { exitWhenIdleSeconds: settings.exitWhenIdleSeconds } : {}),
    ...(settings.stopDeadlineMs !== undefined ? { stopDeadlineMs: settings.stopDeadlineMs } : {}),
    delivery: { ...settings.delivery, groupSiblings: setup.threads },
    ...(settings.reconcileMs !== undefined ? { reconcileMs: settings.reconcileMs } : {}),
  };
  if (settings.jobs.kind === 'file') {
    const { jobs, customFields } = await loadJobsFile(settings.jobs.path, destinations);
    return { pusher: createPusher({ ...common, jobs, customFields }), close: () => Promise.resolve() };
  }
  // Health is published by the main thread, merged over every thread: one report per job and process, as before.
  const store = createKafkaJobStore({ kafka, logger });
  const { minUploadIntervalSeconds } = settings.jobs;
  const pusher = createPusher({ ...common, store, ...(minUploadIntervalSeconds !== undefined ? { minUploadIntervalSeconds } : {}) });
  return { pusher, close: () => store.close() };
}
