// Delays between reconnect and replay attempts: doubling from `initial` to `max`, half of each delay random.

export interface Backoff {
  /** The delay before the next attempt, in milliseconds. */
  next(): number;
  /** After a success: the next failure waits `initial` again. */
  reset(): void;
}

export interface BackoffOptions {
  readonly initial: number;
  readonly max: number;
  /** Uniform in [0, 1); injectable for tests. */
  readonly random?: () => number;
}

export function createBackoff(options: BackoffOptions): Backoff {
  const random = options.random ?? Math.random;
  let ceiling = options.initial;
  return {
    next() {
      // Half fixed, half jitter: many gateways that lost the same broker do not all return at once.
      const delay = ceiling / 2 + (random() * ceiling) / 2;
      ceiling = Math.min(ceiling * 2, options.max);
      return delay;
    },
    reset() {
      ceiling = options.initial;
    },
  };
}
