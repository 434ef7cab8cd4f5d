// The time a tail runs on: now and one-shot timers, injected so that tests drive time limits and sampling windows.

export interface TailClock {
  now(): number;
  /** Calls `fn` once after `ms` milliseconds; returns what cancel takes. */
  after(ms: number, fn: () => void): () => void;
}

export const SYSTEM_TAIL_CLOCK: TailClock = {
  now: Date.now,
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
