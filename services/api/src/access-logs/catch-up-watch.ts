// Waits for the index to reach the topic's end while it keeps moving: only a catch-up that stops making progress times out.

export interface CatchUpWatchOptions {
  /** Whether the index has reached the end it waits for. */
  readonly reached: () => boolean;
  /** How far the index has read, summed over partitions: any increase is progress. */
  readonly progress: () => number;
  /** How long the index may read nothing before the wait gives up, ms. */
  readonly stallMs: number;
  /** The error to reject with once it stalls. */
  readonly stalled: () => Error;
}

export interface CatchUpWatch {
  readonly done: Promise<void>;
  /** Called after every stored batch: resolves once reached, and restarts the stall clock on progress. */
  readonly check: () => void;
}

/**
 * A million events take minutes to index on a small machine; a fixed deadline would refuse to start
 * an API whose index is merely large. A broker that stops answering still fails it within `stallMs`.
 */
export function watchCatchUp(options: CatchUpWatchOptions): CatchUpWatch {
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  let seen = options.progress();
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      settle?.reject(options.stalled());
      settle = undefined;
    }, options.stallMs);
  };
  const check = (): void => {
    if (settle === undefined) return;
    if (options.reached()) {
      clearTimeout(timer);
      settle.resolve();
      settle = undefined;
      return;
    }
    const now = options.progress();
    if (now > seen) {
      seen = now;
      arm();
    }
  };
  arm();
  check();
  return { done, check };
}
