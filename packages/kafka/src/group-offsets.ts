// Reads and seeds consumer-group offsets: where a job starts, and how far it has committed.
import type { Admin, SeekEntry } from 'kafkajs';
import type { JobPosition } from './position-log.js';

/** Where a consumer group with no committed offsets starts: everything Kafka holds, or from a time. */
export type StartFrom = 'earliest' | Date;

export interface PartitionOffset {
  partition: number;
  offset: string;
}

/** Committed offsets of a group on a topic (`-1` where nothing is committed). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<PartitionOffset[]> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (entry?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset }));
}

/** The next offset to be written on every partition of a topic. */
export async function endOffsets(admin: Admin, topic: string): Promise<PartitionOffset[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map((o) => ({ partition: o.partition, offset: o.high }));
}

/** Where a partition without a committed offset was started, and why. */
export type SeedSource =
  /** The job's last committed position, from the position log (its group's offsets had expired). */
  | 'last-delivered'
  /** The job's `start_from`. */
  | 'start-from'
  /** Everything Kafka still holds: the job ran before, but this partition has no recorded position. */
  | 'earliest'
  /** A new job without `start_from`: from its start, as Logpush. */
  | 'now';

export interface SeededOffset extends PartitionOffset {
  from: SeedSource;
  /** Set when the recorded position had already been deleted by the topic's retention: records before this offset were lost to it. */
  expiredBefore?: string;
  metadata?: string | null;
}

export interface SeedOptions {
  /** The job's `start_from`, if it has one. */
  startFrom?: StartFrom;
  /** Now, for a new job without `start_from`. */
  now: Date;
  /** The job's recorded positions (the position log), read only when some partition has no committed offset. */
  recorded?: () => Promise<readonly JobPosition[]>;
}

/**
 * Gives partitions without a committed offset a starting position and commits it, so that a
 * restart resumes there rather than at the broker's default. A job that ran before (its position
 * log has entries) resumes from its last recorded position, else from `start_from`, else from the
 * earliest retained record: never silently from now. A new job starts at `start_from`, else now.
 * Partitions that have a committed offset are left alone. Returns what it seeded, and why.
 */
export async function seedGroupOffsets(admin: Admin, groupId: string, topic: string, options: SeedOptions): Promise<SeededOffset[]> {
  const committed = await committedOffsets(admin, groupId, topic);
  const unset = new Set(committed.filter((p) => Number(p.offset) < 0).map((p) => p.partition));
  if (unset.size === 0) return [];
  const recorded = new Map((await options.recorded?.() ?? []).map((p) => [p.partition, p]));
  const ranBefore = recorded.size > 0;
  const low = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.low]));
  const byTime = async (date: Date): Promise<Map<number, string>> =>
    new Map((await admin.fetchTopicOffsetsByTimestamp(topic, date.getTime())).map((o) => [o.partition, o.offset]));
  const start = options.startFrom ?? (ranBefore ? 'earliest' : options.now);
  const fallback = start === 'earliest' ? low : await byTime(start);
  const fallbackFrom: SeedSource = options.startFrom !== undefined ? 'start-from' : ranBefore ? 'earliest' : 'now';
  const seeded: SeededOffset[] = [];
  for (const partition of unset) {
    const position = recorded.get(partition);
    const oldest = Number(low.get(partition) ?? 0);
    if (position) {
      const expired = position.offset < oldest;
      seeded.push({
        partition,
        offset: String(Math.max(position.offset, oldest)),
        from: 'last-delivered',
        ...(expired ? { expiredBefore: String(oldest) } : { metadata: position.metadata }),
      });
    } else {
      seeded.push({ partition, offset: fallback.get(partition) ?? String(oldest), from: fallbackFrom });
    }
  }
  // kafkajs's types omit it, but setOffsets commits each entry's metadata: the recorded cuts go back with the offset.
  const entries = seeded.map((s) => ({ partition: s.partition, offset: s.offset, ...(s.metadata ? { metadata: s.metadata } : {}) })) as SeekEntry[];
  await admin.setOffsets({ groupId, topic, partitions: entries });
  return seeded;
}
