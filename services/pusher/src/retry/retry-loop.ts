// The one way the pusher retries its own work (dead-letter writes, cut records, commits): the shared backoff policy, until done or aborted.
import { abortableSleep, nextDelayMs } from '@sluice/destinations';
import type { RetryPolicy } from '@sluice/destinations';

export interface RetryLoopOptions {
  policy: RetryPolicy;
  signal: AbortSignal;
  /** Called after each failed attempt, before the wait: log it, count it, show it in health. */
  onFailure?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export type RetryOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown; aborted: boolean };

/**
 * Runs `attempt` until it resolves, the policy's attempts run out, or `signal` aborts. Never
 * throws: the outcome says which, so a caller can never leave a failure unhandled by accident.
 */
export async function retryLoop<T>(attempt: (n: number) => Promise<T>, options: RetryLoopOptions): Promise<RetryOutcome<T>> {
  const sleep = options.sleep ?? abortableSleep;
  for (let n = 1; ; n++) {
    try {
      return { ok: true, value: await attempt(n) };
    } catch (error) {
      if (options.signal.aborted) return { ok: false, error, aborted: true };
      if (n >= options.policy.maxAttempts) return { ok: false, error, aborted: false };
      const delayMs = nextDelayMs(n, options.policy, undefined, options.random);
      options.onFailure?.(error, n, delayMs);
      await sleep(delayMs, options.signal);
      if (options.signal.aborted) return { ok: false, error, aborted: true };
    }
  }
}
