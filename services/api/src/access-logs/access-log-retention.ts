// Deletes indexed events past their retention, every minute by default; the clock is the store's.
import type { Logger } from '@sluice/logging';
import type { AccessLogStore } from './access-log-store.js';

export const DEFAULT_SWEEP_EVERY_MS = 60_000;

export interface RetentionTimers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface RetentionSweeper {
  /** Prunes now; returns how many events went. */
  sweep(): number;
  stop(): void;
}

const nodeTimers: RetentionTimers = {
  setInterval: (run, ms) => setInterval(run, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export function startRetentionSweeper(options: { store: Pick<AccessLogStore, 'prune'>; logger: Logger; everyMs?: number; timers?: RetentionTimers }): RetentionSweeper {
  const timers = options.timers ?? nodeTimers;
  const sweep = (): number => {
    try {
      const removed = options.store.prune();
      if (removed > 0) options.logger.debug({ removed }, 'access events past their retention deleted');
      return removed;
    } catch (error) {
      // A closed or busy database must not take the API down; the next sweep tries again.
      options.logger.warn({ err: error }, 'access index retention sweep failed');
      return 0;
    }
  };
  const handle = timers.setInterval(sweep, options.everyMs ?? DEFAULT_SWEEP_EVERY_MS);
  return { sweep, stop: () => timers.clearInterval(handle) };
}
