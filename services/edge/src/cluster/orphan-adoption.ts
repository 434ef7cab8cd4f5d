// Replays spools left by workers this run does not have (a lower worker count than last time), each under its lock, then retires them.
import { readdir, rm } from 'node:fs/promises';
import type { Logger } from '@sluice/logging';
import type { PublisherStats } from '../publish/publisher-stats.js';
import type { RecordPublisher } from '../publish/record-publisher.js';
import { findOrphanSpoolDirs } from './spool-dirs.js';
import { acquireSpoolLock, LOCK_FILE } from './spool-lock.js';
import type { AcquireOptions, SpoolLock } from './spool-lock.js';
import { sumPublisherStats } from './stats-sum.js';

export interface OrphanAdoptionOptions {
  /** `spool.dir`: orphans are its `worker-<n>` directories with n ≥ `workers`. */
  readonly root: string;
  readonly workers: number;
  /** A publisher on a spool directory: it replays what the directory holds, as a restarted worker would. */
  readonly startPublisher: (dir: string) => Promise<RecordPublisher>;
  readonly logger: Logger;
  readonly lock?: AcquireOptions;
  /** Each wait for a publisher to drain, ms (default 1,000; repeated until drained or stopped): also how long a stop may wait. */
  readonly drainPollMs?: number;
}

export interface OrphanAdoption {
  /** The adopted publishers' figures added up (replayed records, what their spools still hold); undefined before any. */
  stats(): PublisherStats | undefined;
  /** Resolves once every orphan found at start is replayed and retired (or stop() was called). */
  readonly done: Promise<void>;
  /** Ends the replay after its current wait (closing its publisher); what it has not sent stays on disk for the next start. */
  stop(): Promise<void>;
}

/** Files a replayed spool keeps: anything else (quarantined or damaged records) is kept for an operator, and so is the directory. */
const RETIRABLE = new Set(['head.json', LOCK_FILE]);

/**
 * One orphan at a time, in index order, on a publisher of its own: a replay is Kafka sends from disk,
 * and one at a time keeps it from competing with the live workers. An orphan whose lock a live
 * process holds is skipped (that process is replaying it).
 */
export function startOrphanAdoption(options: OrphanAdoptionOptions): OrphanAdoption {
  const { logger } = options;
  const finished: PublisherStats[] = [];
  /** The publisher replaying now: its figures count until it is done. */
  let current: RecordPublisher | undefined;
  let stopped = false;

  async function adopt(dir: string): Promise<void> {
    let lock: SpoolLock;
    try {
      lock = await acquireSpoolLock(dir, options.lock);
    } catch (error) {
      logger.warn({ dir, err: error }, `not adopting the spool ${dir}: ${(error as Error).message}`);
      return;
    }
    try {
      logger.info({ dir }, `adopting the spool ${dir}, left by a worker this run does not have; replaying it`);
      const publisher = await options.startPublisher(dir);
      current = publisher;
      let drained = false;
      while (!stopped && !drained) drained = await publisher.drained(options.drainPollMs ?? 1_000);
      await publisher.close();
      current = undefined;
      finished.push(publisher.stats());
      if (drained) await retire(dir, logger);
    } finally {
      await lock.release();
    }
  }

  const done = (async () => {
    const dirs = await findOrphanSpoolDirs(options.root, options.workers);
    for (const dir of dirs) {
      if (stopped) return;
      await adopt(dir).catch((error: unknown) => logger.error({ dir, err: error }, `adopting the spool ${dir} failed; the next start tries again`));
    }
  })();

  return {
    stats: () => sumPublisherStats(current === undefined ? finished : [...finished, current.stats()]),
    done,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

/** Removes a replayed orphan directory unless it holds more than an empty spool's bookkeeping. */
async function retire(dir: string, logger: Logger): Promise<void> {
  const kept = (await readdir(dir)).filter((name) => !RETIRABLE.has(name));
  if (kept.length > 0) {
    logger.warn({ dir, kept }, `the adopted spool ${dir} is replayed; it is kept for what else it holds: ${kept.join(', ')}`);
    return;
  }
  await rm(dir, { recursive: true, force: true });
  logger.info({ dir }, `the adopted spool ${dir} is replayed and removed`);
}
