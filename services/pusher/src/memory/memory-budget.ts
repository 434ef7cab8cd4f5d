// One budget for the batch memory of every job on a worker: open batches and sealed ones waiting for delivery.

/** What one job holds now, in bytes. */
export type MemoryReporter = () => number;

export interface MemoryBudget {
  readonly limitBytes: number;
  /** Adds a job's holdings to the total; the returned function removes them (the job stopped). */
  register(reporter: MemoryReporter): () => void;
  /** Bytes held by every registered job now. */
  usedBytes(): number;
  overBudget(): boolean;
}

/**
 * 128 MiB of gzip output and pending text: ~1 GB of rendered records at typical ratios, while the
 * worker's RSS stays within a few hundred MB whatever the jobs' own limits say.
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 128 * 1024 * 1024;

export function createMemoryBudget(limitBytes = DEFAULT_MEMORY_BUDGET_BYTES): MemoryBudget {
  const reporters = new Set<MemoryReporter>();
  const usedBytes = (): number => {
    let total = 0;
    for (const report of reporters) total += report();
    return total;
  };
  return {
    limitBytes,
    register(reporter) {
      reporters.add(reporter);
      return () => void reporters.delete(reporter);
    },
    usedBytes,
    overBudget: () => usedBytes() >= limitBytes,
  };
}
