// Which publish sequence numbers the spool holds, oldest first, as runs: how `drained` knows whether a record is still owed.

export interface SequenceRuns {
  /** The oldest sequence number held, if any. */
  first(): number | undefined;
  /** A newer record joins at the back. */
  push(seq: number, count?: number): void;
  /** Older records (a batch put ahead of the head) join at the front, in order. */
  unshift(seqs: readonly number[]): void;
  /** The `count` oldest are acknowledged. */
  shift(count: number): void;
  clear(): void;
}

interface Run {
  start: number;
  count: number;
}

export function createSequenceRuns(): SequenceRuns {
  let runs: Run[] = [];
  const append = (target: Run[], seq: number, count: number): void => {
    const last = target[target.length - 1];
    // Sequence 0 stands for every record recovered from disk at start-up; those runs never merge.
    if (last !== undefined && last.start !== 0 && last.start + last.count === seq) last.count += count;
    else target.push({ start: seq, count });
  };
  return {
    first: () => runs[0]?.start,
    push(seq, count = 1) {
      append(runs, seq, count);
    },
    unshift(seqs) {
      const front: Run[] = [];
      for (const seq of seqs) append(front, seq, 1);
      runs = [...front, ...runs];
    },
    shift(count) {
      let left = count;
      while (left > 0 && runs.length > 0) {
        const run = runs[0];
        const taken = Math.min(left, run.count);
        run.start += run.start === 0 ? 0 : taken;
        run.count -= taken;
        left -= taken;
        if (run.count === 0) runs.shift();
      }
    },
    clear() {
      runs = [];
    },
  };
}
