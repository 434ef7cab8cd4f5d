// A destination decorator that retries retryable failures until delivered, rejected, out of attempts or aborted; every method of the interface is kept.
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

/**
 * `validate` and `writeChallenge` are present exactly when the wrapped destination has them (their
 * presence changes what callers do), and they are retried under the same policy as `deliver`.
 */
export function withRetry(destination: Destination, options: RetryOptions = {}): Destination {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? abortableSleep;

  async function retrying(attempt: () => Promise<DeliveryResult>, signal: AbortSignal): Promise<DeliveryResult> {
    for (let number = 1; ; number++) {
      const result = await attempt();
      if (result.status !== 'retryable' || signal.aborted || number >= policy.maxAttempts) return result;
      const delayMs = nextDelayMs(number, policy, result.retryAfterMs, options.random);
      options.onRetry?.({ attempt: number, delayMs, result });
      await sleep(delayMs, signal);
      if (signal.aborted) return result;
    }
  }

  const wrapped: Destination = {
    kind: destination.kind,
    description: destination.description,
    // The encoding shapes the batches built for the destination: a wrapper must not hide it.
    ...(destination.wireEncoding !== undefined ? { wireEncoding: destination.wireEncoding } : {}),
    deliver: (batch: DeliveryBatch, signal: AbortSignal) => retrying(() => destination.deliver(batch, signal), signal),
    close: () => destination.close(),
  };
  const validate = destination.validate?.bind(destination);
  if (validate !== undefined) wrapped.validate = (body, signal) => retrying(() => validate(body, signal), signal);
  const writeChallenge = destination.writeChallenge?.bind(destination);
  if (writeChallenge !== undefined) wrapped.writeChallenge = (key, content, signal) => retrying(() => writeChallenge(key, content, signal), signal);
  return wrapped;
}
