// Counts a recurring loss and warns about it at most once per interval, with the running total, instead of once per record.
import type { Logger } from '@sluice/logging';

export interface ThrottledWarning {
  /** Counts `count` more occurrences; warns when the interval since the last warning has passed. */
  add(count: number, fields?: Record<string, unknown>): void;
  readonly total: number;
  /** Occurrences since the last warning (what a final summary still has to report). */
  readonly unreported: number;
  /** Warns now if anything happened since the last warning. */
  flush(message: string): void;
}

export interface ThrottledWarningOptions {
  readonly logger: Logger;
  readonly message: string;
  /** Name of the count field in the log line, e.g. `dropped`. */
  readonly field: string;
  /** Default 10 s. */
  readonly intervalMs?: number;
  readonly now: () => number;
}

export function createThrottledWarning(options: ThrottledWarningOptions): ThrottledWarning {
  const intervalMs = options.intervalMs ?? 10_000;
  let total = 0;
  let unreported = 0;
  let warnedAt: number | undefined;
  const warn = (message: string, fields?: Record<string, unknown>): void => {
    options.logger.warn({ ...fields, [options.field]: total, sinceLastWarning: unreported }, message);
    unreported = 0;
    warnedAt = options.now();
  };
  return {
    add(count, fields) {
      total += count;
      unreported += count;
      if (warnedAt === undefined || options.now() - warnedAt >= intervalMs) warn(options.message, fields);
    },
    get total() {
      return total;
    },
    get unreported() {
      return unreported;
    },
    flush(message) {
      if (unreported > 0) warn(message);
    },
  };
}
