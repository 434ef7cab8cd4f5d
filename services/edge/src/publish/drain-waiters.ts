// The callers of `drained`: each waits until every record published before its call is acknowledged, or its timeout.

export interface DrainWaiters {
  /** Resolves true once `settle` reports nothing at or below `target` owed, false after `timeoutMs`. */
  wait(target: number, timeoutMs: number): Promise<boolean>;
  /**
   * `oldestOwed` is the oldest sequence number not yet acknowledged (Infinity if none). With `final`
   * (the publisher closed, nothing will change any more) every waiter gets its answer now.
   */
  settle(oldestOwed: () => number, final: boolean): void;
}

interface Waiter {
  readonly target: number;
  readonly resolve: (drained: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

export function createDrainWaiters(): DrainWaiters {
  const waiters = new Set<Waiter>();
  return {
    wait(target, timeoutMs) {
      return new Promise((resolve) => {
        const waiter: Waiter = {
          target,
          resolve,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            resolve(false);
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    settle(oldestOwed, final) {
      if (waiters.size === 0) return;
      const oldest = oldestOwed();
      for (const waiter of waiters) {
        if (oldest <= waiter.target && !final) continue;
        clearTimeout(waiter.timer);
        waiters.delete(waiter);
        waiter.resolve(oldest > waiter.target);
      }
    },
  };
}
