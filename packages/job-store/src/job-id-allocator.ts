// Job ids from Kafka offsets: unique across API replicas with no coordination beyond Kafka's own.
import { JobStoreError } from './job-store-error.js';

/**
 * Every id is one plus the offset of a record this allocator appended to a single-partition topic.
 * Kafka hands each offset of a partition to exactly one write, so two replicas can never get the
 * same id, and an id handed out after another was returned is larger (offsets only grow, also when
 * retention deletes old records). No replica needs to know about any other.
 *
 * Jobs can also carry ids that did not come from here (an import of a jobs file that keeps its ids,
 * so its consumer groups keep their offsets), or the ids topic may have been recreated. The store
 * passes the highest job id it has ever seen, and while the offset-based id is not above it, the
 * allocator appends filler records in bulk until it owns an offset past it. The id is still an
 * offset this allocator owns, so the skip cannot collide either. What this cannot cover is a job
 * written with an explicit id *while* replicas allocate: imports belong before the API takes traffic.
 */
export interface IdClaimLog {
  /** Appends `count` records in one write; resolves with the offset of the last. */
  append(count: number): Promise<number>;
}

export interface JobIdAllocatorOptions {
  /** Records appended per write while skipping ahead (default 20,000: ~200 KB, far below a broker's 1 MB limit). */
  skipChunk?: number;
  /** The most ids one allocation may skip before it refuses with JOB_ID_GAP_TOO_LARGE (default 10,000,000). */
  maxSkip?: number;
}

export async function allocateJobId(log: IdClaimLog, highestIdSeen: () => number, options: JobIdAllocatorOptions = {}): Promise<number> {
  const chunk = options.skipChunk ?? 20_000;
  const maxSkip = options.maxSkip ?? 10_000_000;
  let id = (await log.append(1)) + 1;
  let skipped = 0;
  for (let highest = highestIdSeen(); id <= highest; highest = highestIdSeen()) {
    const gap = highest - id + 1;
    if (skipped + gap > maxSkip) {
      throw new JobStoreError('JOB_ID_GAP_TOO_LARGE', `job ids up to ${highest} exist but the id allocator is at ${id}; skipping ${gap} ids is more than the ${maxSkip} allowed`);
    }
    const count = Math.min(gap, chunk);
    id = (await log.append(count)) + 1;
    skipped += count;
  }
  return id;
}
