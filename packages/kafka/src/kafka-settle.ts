// Start-up steps retried while the broker refuses them only for the moment: a topic made a moment ago has no leader yet.

export interface SettleOptions {
  /** How long to keep trying, ms (default 30 s). */
  readonly settleMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Whether kafkajs marked the error, or what it wraps after its own retries, as worth trying again. */
export function isRetriableKafkaError(error: unknown): boolean {
  for (let next = error, depth = 0; typeof next === 'object' && next !== null && depth < 5; depth++) {
    const { retriable, originalError, cause } = next as { retriable?: unknown; originalError?: unknown; cause?: unknown };
    if (retriable === true) return true;
    next = originalError ?? cause;
  }
  return false;
}

/**
 * Runs `step` again while it fails with a retriable Kafka error (NOT_LEADER_FOR_PARTITION,
 * LEADER_NOT_AVAILABLE, a coordinator still loading), backing off from 100 ms to 2 s, for at most
 * `settleMs`; any other error, or the same refusal past that, is thrown as it came.
 */
export async function untilKafkaSettles<T>(step: () => Promise<T>, options: SettleOptions = {}): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const giveUpAt = now() + (options.settleMs ?? 30_000);
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await step();
    } catch (error) {
      if (!isRetriableKafkaError(error) || now() + delay > giveUpAt) throw error;
      await sleep(delay);
    }
  }
}
