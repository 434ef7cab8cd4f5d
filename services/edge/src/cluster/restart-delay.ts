// How long the primary waits before replacing a worker that died: at once for a rare crash, backing off for a crash loop.

/** A worker that ran at least this long died of something rare: it is replaced after the base delay. */
export const STABLE_AFTER_MS = 10_000;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** The delay before the next start, given the delay before the last one and how long that worker ran. */
export function nextRestartDelay(previousDelayMs: number | undefined, ranMs: number): number {
  if (previousDelayMs === undefined || ranMs >= STABLE_AFTER_MS) return BASE_DELAY_MS;
  return Math.min(MAX_DELAY_MS, previousDelayMs * 2);
}
