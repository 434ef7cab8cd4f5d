// Publishes each job's health to the HealthStore: at once when its Logpush health changes, otherwise every few seconds.
import type { HealthStore, JobHealth } from '@sluice/job-store';
import type { Logger } from '@sluice/logging';
import type { JobStatus } from './job-status.js';

export interface HealthReporterOptions {
  health: HealthStore;
  statuses: () => JobStatus[];
  /** Names this worker in its reports. */
  worker: string;
  logger: Logger;
  /** A job's report goes out at least this often while it runs (default 5 s). */
  intervalMs?: number;
  /** How often the statuses are looked at for changes (default 1 s). */
  tickMs?: number;
  now?: () => number;
}

export interface HealthReporter {
  start(): void;
  /** Publishes whatever is due now; one publish at a time. */
  tick(): Promise<void>;
  /** Stops the timer and publishes every job's final status. */
  stop(): Promise<void>;
}

interface Sent {
  signature: string;
  atMs: number;
}

/** What a report must go out at once for: the fields the API shows on the job. */
function signature(status: JobStatus): string {
  return JSON.stringify([status.last_complete, status.last_error, status.error_message, status.enabled, status.disabled_reason]);
}

/** The statuses whose report is due: never sent, their Logpush health changed, or the interval has passed. */
export function dueStatuses(statuses: readonly JobStatus[], sent: ReadonlyMap<number, Sent>, nowMs: number, intervalMs: number): JobStatus[] {
  return statuses.filter((status) => {
    const last = sent.get(status.id);
    return !last || last.signature !== signature(status) || nowMs - last.atMs >= intervalMs;
  });
}

export function toJobHealth(status: JobStatus, worker: string, nowMs: number): JobHealth {
  return { ...status, reported_at: new Date(nowMs).toISOString(), worker };
}

export function createHealthReporter(options: HealthReporterOptions): HealthReporter {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 5_000;
  const sent = new Map<number, Sent>();
  let timer: NodeJS.Timeout | undefined;
  let publishing: Promise<void> = Promise.resolve();
  let busy = false;

  const publish = (statuses: readonly JobStatus[]): Promise<void> => {
    if (statuses.length === 0) return publishing;
    busy = true;
    publishing = publishing.then(async () => {
      const at = now();
      try {
        await options.health.publish(statuses.map((status) => toJobHealth(status, options.worker, at)));
        for (const status of statuses) sent.set(status.id, { signature: signature(status), atMs: at });
      } catch (error) {
        // Health is best effort: the next tick tries again, delivery never waits for it.
        options.logger.warn({ err: error, jobs: statuses.length }, 'job health not published; retrying');
      } finally {
        busy = false;
      }
    });
    return publishing;
  };

  const reporter: HealthReporter = {
    start() {
      timer = setInterval(() => void reporter.tick(), options.tickMs ?? 1_000);
      timer.unref();
    },
    // A slow store must not pile up ticks: while one publish is out, ticks wait for it.
    tick: () => (busy ? publishing : publish(dueStatuses(options.statuses(), sent, now(), intervalMs).map((s) => structuredClone(s)))),
    async stop() {
      clearInterval(timer);
      await publish(options.statuses().map((s) => structuredClone(s)));
    },
  };
  return reporter;
}
