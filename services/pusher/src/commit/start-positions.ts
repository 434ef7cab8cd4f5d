// Where a job's partitions start when their group has no committed offset, said in the log and in health; and the copy of every commit that makes that possible.
import type { JobPosition, PositionLog, SeededOffset } from '@sluice/kafka';
import type { Logger } from '@sluice/logging';
import type { JobStatusTracker } from '../job-status.js';

export interface StartPositionsOptions {
  jobId: number;
  topic: string;
  /** Without one, nothing is copied, and a job whose offsets expired starts as a new one. */
  positionLog?: PositionLog;
  tracker: JobStatusTracker;
  log: Logger;
  now: () => number;
}

export interface StartPositions {
  /** Copies commits that went through to the position log (in the background). */
  recorded(positions: readonly JobPosition[]): void;
  /** Reports partitions that were started without a committed offset, and why; records losses to retention. */
  seeded(seeded: readonly SeededOffset[]): void;
}

export function createStartPositions(options: StartPositionsOptions): StartPositions {
  const { tracker, log } = options;

  /** The position log is a fallback: a failed copy is logged, the group's own commit already went through. */
  const recorded = (positions: readonly JobPosition[]): void => {
    if (!options.positionLog || positions.length === 0) return;
    options.positionLog.record(options.jobId, options.topic, positions).catch((error: unknown) => log.warn({ err: error }, 'copying committed positions to the position log failed'));
  };

  return {
    recorded,
    seeded(seeded) {
      if (seeded.length === 0) return;
      tracker.status.start_positions = seeded.map((s) => `p${s.partition}@${s.offset}:${s.from}`).join(' ');
      for (const s of seeded) log.info({ partition: s.partition, offset: s.offset, from: s.from }, 'partition had no committed offset; starting it here');
      const expired = seeded.filter((s) => s.expiredBefore !== undefined);
      if (expired.length > 0) {
        const which = expired.map((s) => `partition ${s.partition} before offset ${s.expiredBefore}`).join(', ');
        tracker.troubled('OFFSETS_EXPIRED_RECORDS_LOST', `the job's position was older than what Kafka still holds: records of ${which} were deleted by the topic's retention before delivery`, options.now());
        log.error({ expired }, 'records were deleted by retention before the job delivered them');
      }
      recorded(seeded.map((s) => ({ partition: s.partition, offset: Number(s.offset), metadata: s.metadata ?? null })));
    },
  };
}
