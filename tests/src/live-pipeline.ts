// Helpers for tests that watch a running pusher from outside: waiting on conditions, reading buckets
// it is writing to, and a job's consumer group offsets.
import type { Admin } from 'kafkajs';
import type { S3Client } from '@aws-sdk/client-s3';
import { committedOffsets, endOffsets } from '@sluice/kafka';
import type { PartitionOffset } from '@sluice/kafka';
import { readStoredObjects } from './stored-objects.js';
import type { StoredObject } from './stored-objects.js';

/** Polls until `reached`; `limitMs` guards against hanging only, it is not an assertion about time. */
export async function waitUntil(what: string, reached: () => boolean | Promise<boolean>, limitMs = 45_000): Promise<void> {
  const giveUpAt = Date.now() + limitMs;
  while (!(await reached())) {
    if (Date.now() > giveUpAt) throw new Error(`${what}: not within ${limitMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The pusher writes while the test reads: a key listed during its upload can be gone by the GET; read again. */
export async function readWhileWriting(s3: S3Client, bucket: string): Promise<StoredObject[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readStoredObjects(s3, bucket);
    } catch (error) {
      if ((error as { name?: string }).name !== 'NoSuchKey' || attempt >= 5) throw error;
    }
  }
}

/** The committed offsets of job `id`'s consumer group, by partition. */
export async function jobCommitted(admin: Admin, id: number, topic: string): Promise<PartitionOffset[]> {
  return (await committedOffsets(admin, `sluice-job-${id}`, topic)).sort((a, b) => a.partition - b.partition);
}

export async function topicEnd(admin: Admin, topic: string): Promise<PartitionOffset[]> {
  return (await endOffsets(admin, topic)).sort((a, b) => a.partition - b.partition);
}

/** Whether job `id` has committed everything the topic holds. */
export async function jobCommittedToEnd(admin: Admin, id: number, topic: string): Promise<boolean> {
  const [have, end] = await Promise.all([jobCommitted(admin, id, topic), topicEnd(admin, topic)]);
  return end.every((e) => Number(have.find((c) => c.partition === e.partition)?.offset ?? -1) >= Number(e.offset));
}

/** Starts job `id`'s consumer group at the end of the topic: per-run id topics hand out numbers an earlier run used. */
export async function startJobGroupAtEnd(admin: Admin, id: number, topic: string): Promise<void> {
  await admin.setOffsets({ groupId: `sluice-job-${id}`, topic, partitions: (await topicEnd(admin, topic)).map((p) => ({ partition: p.partition, offset: p.offset })) });
}
