// How long to wait before restarting a pusher thread that crashed: soon after a rare crash, backing off for a crash loop.

/** A thread that ran at least this long died of something rare: it is restarted after the base delay. */
export const STABLE_AFTER_MS = 10_000;
/** First wait: long enough not to spin on a failure at start, short next to the group session timeout. */
export const BASE_RESTART_DELAY_MS = 500;
/** A crash loop never waits longer than this between attempts. */
export const MAX_RESTART_DELAY_MS = 30_000;

/** The delay before the next start, given the delay before the last one and how long that thread ran. */
export function nextRestartDelay(previousDelayMs: number | undefined, ranMs: number): number {
  if (previousDelayMs === undefined || ranMs >= STABLE_AFTER_MS) return BASE_RESTART_DELAY_MS;
  return Math.min(MAX_RESTART_DELAY_MS, previousDelayMs * 2);
}
