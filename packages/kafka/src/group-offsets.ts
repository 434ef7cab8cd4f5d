// Reads and seeds consumer-group offsets: where a job starts, and how far it has committed.
import type { Admin } from 'kafkajs';

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

/**
 * Gives a group that has never committed a starting position on every partition, and commits it
 * so that a restart resumes there rather than at the broker's default. Partitions that already
 * have a committed offset are left alone. Returns the offsets it seeded.
 */
export async function seedGroupOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
  startFrom: StartFrom,
): Promise<PartitionOffset[]> {
  const committed = await committedOffsets(admin, groupId, topic);
  const unset = new Set(committed.filter((p) => Number(p.offset) < 0).map((p) => p.partition));
  if (unset.size === 0) return [];
  const positions =
    startFrom === 'earliest'
      ? (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, offset: o.low }))
      : await admin.fetchTopicOffsetsByTimestamp(topic, startFrom.getTime());
  const seeded = positions.filter((p) => unset.has(p.partition));
  if (seeded.length > 0) await admin.setOffsets({ groupId, topic, partitions: seeded });
  return seeded;
}
