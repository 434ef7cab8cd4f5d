// A destination decorator that retries retryable failures until delivered, rejected, out of attempts or aborted.
import type { DeliveryBatch, DeliveryResult, Destination } from '../destination.js';
import { DEFAULT_RETRY_POLICY, nextDelayMs } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  result: Extract<DeliveryResult, { status: 'retryable' }>;
}

export interface RetryOptions {
  policy?: RetryPolicy;
  /** Called before each wait, e.g. to log, count retries and record the job's last error. */
  onRetry?: (event: RetryEvent) => void;
  /** Injected for tests: resolves after `ms` or when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function withRetry(destination: Destination, options: RetryOptions = {}): Destination {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? abortableSleep;
  return {
    kind: destination.kind,
    description: destination.description,
    async deliver(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult> {
      for (let attempt = 1; ; attempt++) {
        const result = await destination.deliver(batch, signal);
        if (result.status !== 'retryable' || signal.aborted || attempt >= policy.maxAttempts) return result;
        const delayMs = nextDelayMs(attempt, policy, result.retryAfterMs, options.random);
        options.onRetry?.({ attempt, delayMs, result });
        await sleep(delayMs, signal);
        if (signal.aborted) return result;
      }
    },
    close: () => destination.close(),
  };
}
