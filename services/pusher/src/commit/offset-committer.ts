// Offset commits for one job: owns each partition's progress, commits only in the generation that computed it, never backwards.
import type { Logger } from '@sluice/logging';
import type { RetryPolicy } from '@sluice/destinations';
import type { JobConsumer, OffsetCommit } from '../consumer/job-consumer.js';
import { PartitionProgress } from './partition-progress.js';
import type { BatchCut } from './batch-cuts.js';
import { cutsFit, decodeCuts } from './batch-cuts.js';
import { retryLoop } from '../retry/retry-loop.js';
import { errorCode } from '../pusher-errors.js';

export interface OffsetCommitterOptions {
  consumer: Pick<JobConsumer, 'committed' | 'commit'>;
  log: Logger;
  /** Backoff for reading committed offsets and for recording cuts. */
  retryPolicy: RetryPolicy;
  /** Each commit that went through, as sent (the position log keeps a copy). */
  onCommitted?: (commits: readonly OffsetCommit[]) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** One generation of the group as this member saw it: its partitions and their progress. */
interface Generation {
  readonly number: number;
  readonly partitions: ReadonlySet<number>;
  readonly progress: Map<number, PartitionProgress>;
  /** Aborted when the generation ends: its reads of committed offsets and its cut records give up. */
  readonly over: AbortController;
  /** The group's committed offsets and cuts as this generation began. */
  committed: Promise<Map<number, { offset: number; metadata: string | null }>> | undefined;
}

export interface OffsetCommitter {
  /** A new generation owns `partitions`; everything of the old one is dropped (its partitions are read again from their commits). */
  assigned(partitions: readonly number[]): number;
  /** The group is rebalancing: nothing is committed until the next assignment. */
  revoked(): void;
  /** The generation number now; work started under an older one must not touch progress or commit. */
  readonly generation: number;
  /** A signal that aborts when the current generation ends. */
  readonly generationOver: AbortSignal;
  /**
   * The partition's progress in generation `gen`, created from its committed offset and cuts, and the partition's end
   * as its first fetch in the generation found it (`highWatermark`); undefined once `gen` is over.
   */
  progressFor(gen: number, partition: number, firstOffset: number, highWatermark: number): Promise<PartitionProgress | undefined>;
  /** The partition's progress in the current generation, once it has started. */
  progressOf(partition: number): PartitionProgress | undefined;
  /** Progress of the current generation's partitions that have started. */
  partitions(): IterableIterator<[number, PartitionProgress]>;
  /** Commits what is due (offsets that moved, cuts that changed); a failure is logged and left for the next call. */
  commitDue(): Promise<void>;
  /**
   * Records cuts as commit metadata, retrying until done. Resolves true once they are durable,
   * false when generation `gen` ended first (the batches must then be abandoned, not delivered).
   */
  recordCuts(gen: number, cuts: readonly { partition: number; cut: BatchCut }[], signal: AbortSignal): Promise<boolean>;
  /** Whether one more cut fits in the partition's commit metadata. */
  cutFits(partition: number, cut: BatchCut): boolean;
}

function newGeneration(number: number, partitions: readonly number[]): Generation {
  return { number, partitions: new Set(partitions), progress: new Map(), over: new AbortController(), committed: undefined };
}

export function createOffsetCommitter(options: OffsetCommitterOptions): OffsetCommitter {
  const { consumer, log } = options;
  let current = newGeneration(0, []);
  current.over.abort();
  let chain: Promise<void> = Promise.resolve();

  const readCommitted = (gen: Generation): Promise<Map<number, { offset: number; metadata: string | null }>> => {
    gen.committed ??= retryLoop(() => consumer.committed(), {
      policy: options.retryPolicy,
      signal: gen.over.signal,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      onFailure: (error, attempt) => log.warn({ err: error, attempt }, 'reading committed offsets failed; retrying'),
    }).then((outcome) => new Map(outcome.ok ? outcome.value.map((c) => [c.partition, { offset: c.offset, metadata: c.metadata }]) : []));
    return gen.committed;
  };

  /** The commits due in `gen`, checked and sent with nothing in between: a commit computed in one generation is never sent in another. */
  async function commitIn(gen: Generation): Promise<void> {
    if (gen !== current || gen.over.signal.aborted) throw Object.assign(new Error('the generation is over'), { code: 'COMMIT_STALE_GENERATION' });
    const commits: OffsetCommit[] = [];
    for (const [partition, progress] of gen.progress) {
      if (!gen.partitions.has(partition)) continue;
      const due = progress.commitDue();
      if (due) commits.push({ partition, ...due });
    }
    if (commits.length === 0) return;
    await consumer.commit(commits);
    if (gen !== current) return;
    for (const c of commits) gen.progress.get(c.partition)?.committedTo(c.offset, c.metadata);
    options.onCommitted?.(commits);
  }

  const enqueue = (work: () => Promise<void>): Promise<void> => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    get generation() {
      return current.number;
    },
    get generationOver() {
      return current.over.signal;
    },
    assigned(partitions) {
      current.over.abort();
      current = newGeneration(current.number + 1, partitions);
      return current.number;
    },
    revoked() {
      current.over.abort();
    },
    async progressFor(gen, partition, firstOffset, highWatermark) {
      const generation = current;
      if (generation.number !== gen || generation.over.signal.aborted) return undefined;
      const existing = generation.progress.get(partition);
      if (existing) return existing;
      const committed = (await readCommitted(generation)).get(partition);
      if (generation !== current || generation.over.signal.aborted) return undefined;
      const again = generation.progress.get(partition);
      if (again) return again;
      // Reading starts at the committed offset; without one (or below the log's start), at the first record fetched.
      const start = committed && committed.offset >= 0 ? Math.min(committed.offset, firstOffset) : firstOffset;
      const progress = new PartitionProgress(start, decodeCuts(committed?.metadata), committed?.metadata ?? '', highWatermark);
      generation.progress.set(partition, progress);
      return progress;
    },
    progressOf: (partition) => current.progress.get(partition),
    partitions: () => current.progress.entries(),
    commitDue() {
      const gen = current;
      return enqueue(() => commitIn(gen)).catch((error: unknown) => {
        if (errorCode(error, '') !== 'COMMIT_STALE_GENERATION') log.warn({ err: error }, 'offset commit failed; it will be retried');
      });
    },
    async recordCuts(gen, cuts, signal) {
      const generation = current;
      if (generation.number !== gen || generation.over.signal.aborted) return false;
      // A new cut changes the partition's metadata, so the next commit of this generation carries it.
      for (const { partition, cut } of cuts) generation.progress.get(partition)?.addCut(cut);
      const both = AbortSignal.any([signal, generation.over.signal]);
      const outcome = await retryLoop(() => enqueue(() => commitIn(generation)), {
        policy: options.retryPolicy,
        signal: both,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        onFailure: (error, attempt) => log.warn({ err: error, attempt }, 'recording a batch cut failed; retrying before the batch is delivered'),
      });
      return outcome.ok && generation === current && !generation.over.signal.aborted;
    },
    cutFits(partition, cut) {
      const progress = current.progress.get(partition);
      if (!progress) return false;
      return cutsFit(decodeCuts(progress.metadataAt(progress.committed)).concat(cut));
    },
  };
}
