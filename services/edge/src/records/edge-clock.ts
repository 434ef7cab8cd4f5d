// Wall-clock nanoseconds for record timestamps, read from the monotonic clock so durations never run backwards.

export interface EdgeClock {
  /** Nanoseconds since the Unix epoch. */
  nowNanos(): bigint;
}

/** Anchored to `Date.now()` once, then advanced by `process.hrtime` (sub-millisecond, immune to clock steps). */
export function createEdgeClock(): EdgeClock {
  const baseNanos = BigInt(Date.now()) * 1_000_000n;
  const baseHr = process.hrtime.bigint();
  return { nowNanos: () => baseNanos + (process.hrtime.bigint() - baseHr) };
}

/** Whole milliseconds between two clock readings. */
export function millisBetween(from: bigint, to: bigint): number {
  return Number((to - from) / 1_000_000n);
}
