// How long to wait before the next attempt: exponential backoff with full jitter, capped.

export interface RetryPolicy {
  /** Upper bound of the first wait. */
  initialDelayMs: number;
  /** No wait is longer than this, whatever the attempt number or a server's Retry-After. */
  maxDelayMs: number;
  /** Growth of the upper bound per attempt. */
  multiplier: number;
  /** Attempts in all, the first included; Infinity keeps trying until delivered, rejected or aborted. */
  maxAttempts: number;
}

/**
 * The defaults keep a failing job's records waiting in Kafka and retry forever: 0.5 s growing to 30 s,
 * as Vector's sinks do. Jobs never drop data just because a destination is down for a while.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  maxAttempts: Infinity,
};

/** Full jitter: uniformly random in [0, min(max, initial × multiplier^(attempt-1))). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** A server's Retry-After wins over the jittered delay, within the policy's cap. */
export function nextDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined, random?: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(policy.maxDelayMs, retryAfterMs);
  return backoffDelayMs(attempt, policy, random);
}
