// How far a view has read each partition, and who is waiting for it to get further.

interface Waiter {
  partition: number;
  /** Resolved once every record before this offset has been applied. */
  offset: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class ViewPosition {
  /** Per partition, the offset after the last record applied. */
  private readonly next = new Map<number, number>();
  private waiters: Waiter[] = [];
  private failure: Error | undefined;

  nextOffset(partition: number): number {
    return this.next.get(partition) ?? 0;
  }

  /** A record at or past the position is new; one before it was applied already (a re-read after a rebalance). */
  isNew(partition: number, offset: number): boolean {
    return offset >= this.nextOffset(partition);
  }

  /** Every record before `offset` has been applied (or skipped). */
  advanceTo(partition: number, offset: number): void {
    if (offset <= this.nextOffset(partition)) return;
    this.next.set(partition, offset);
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.partition === partition && waiter.offset <= offset) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  reached(partition: number, offset: number): boolean {
    return this.nextOffset(partition) >= offset;
  }

  /**
   * Resolves once every record of `partition` before `offset` has been applied; rejects with
   * `onTimeout()` after `timeoutMs` (a guard against a stuck reader, not a pacing device).
   */
  waitFor(partition: number, offset: number, timeoutMs: number, onTimeout: () => Error): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.reached(partition, offset)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(onTimeout());
      }, timeoutMs);
      const waiter: Waiter = {
        partition,
        offset,
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
      this.waiters.push(waiter);
    });
  }

  /** The reader stopped for good: every waiter, present and future, gets this error. */
  fail(error: Error): void {
    this.failure = error;
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters = [];
  }
}
