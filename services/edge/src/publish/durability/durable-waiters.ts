// Requests waiting for their record to be stored, by sequence number, answered in order as reports arrive.

export interface DurableWaiters {
  /** Resolves true once record `seq` is stored, false if it was lost (or the waiters are failed). */
  wait(seq: number): Promise<boolean>;
  /** Records up to `upTo` are settled; those in `lost` were not stored. */
  settle(upTo: number, lost: readonly number[]): void;
  /** Answers every waiter with `seq <= upTo` (every one when absent) false: their records' fate is unknown. */
  fail(upTo?: number): void;
  /** Renumbers the waiters above `from` by `-by` (records not yet handed to a publisher thread that died). */
  shift(from: number, by: number): void;
  readonly size: number;
}

export function createDurableWaiters(): DurableWaiters {
  /** In ascending `seq` order: records are numbered as published. */
  let waiting: { seq: number; resolve: (stored: boolean) => void }[] = [];
  let head = 0;

  function answerUpTo(upTo: number, answer: (seq: number) => boolean): void {
    while (head < waiting.length && (waiting[head]?.seq ?? Infinity) <= upTo) {
      const waiter = waiting[head++];
      waiter?.resolve(answer(waiter.seq));
    }
    if (head > 1024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
  }

  return {
    wait(seq) {
      return new Promise((resolve) => waiting.push({ seq, resolve }));
    },
    settle(upTo, lost) {
      const refused = new Set(lost);
      answerUpTo(upTo, (seq) => !refused.has(seq));
    },
    fail(upTo = Number.POSITIVE_INFINITY) {
      answerUpTo(upTo, () => false);
    },
    shift(from, by) {
      for (let i = head; i < waiting.length; i++) {
        const waiter = waiting[i];
        if (waiter !== undefined && waiter.seq > from) waiter.seq -= by;
      }
    },
    get size() {
      return waiting.length - head;
    },
  };
}
