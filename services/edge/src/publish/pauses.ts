// Sleeps between retries that `close` can cut short, so that closing never waits out a backoff.

export interface Pauses {
  /** Resolves after `ms`, or at once when woken (and every pause after `wakeAll` resolves at once). */
  pause(ms: number): Promise<void>;
  wakeAll(): void;
}

export function createPauses(): Pauses {
  const sleepers = new Set<() => void>();
  let woken = false;
  return {
    pause(ms) {
      if (woken) return Promise.resolve();
      return new Promise((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        sleepers.add(wake);
      });
    },
    wakeAll() {
      woken = true;
      for (const wake of [...sleepers]) wake();
    },
  };
}
