// The store's Kafka topics: names, and how they are created when missing.
import type { TopicSpec } from '@sluice/kafka';

/** Jobs and custom fields: keys `job/<id>` and `custom-fields/<zone_id>`, JSON values, null = deleted. */
export const JOBS_TOPIC = 'sluice.jobs';
/** Job health reported by workers: key `<job id>`, value JobHealth JSON; the latest report per job wins. */
export const JOB_HEALTH_TOPIC = 'sluice.job-health';
/** One small record per id handed out: the offset Kafka assigns it is the id (see job-id-allocator.ts). */
export const JOB_IDS_TOPIC = 'sluice.job-ids';

/** Topic names of one job store; tests and side-by-side deployments use their own. */
export interface JobStoreTopics {
  jobs: string;
  jobIds: string;
}

export const DEFAULT_JOB_STORE_TOPICS: JobStoreTopics = { jobs: JOBS_TOPIC, jobIds: JOB_IDS_TOPIC };

/** The consumer group a job's pushers read its dataset in, on every worker and thread; the API reads its lag by this name. */
export function jobGroupId(jobId: number): string {
  return `sluice-job-${jobId}`;
}

/**
 * One partition: every writer's changes are totally ordered, so every reader applies them in the
 * same order. Compaction keeps the latest value of each key, and a tombstone until
 * `delete.retention.ms` (1 day, the broker default) has passed, so a view rebuilt from the topic equals
 * the view of a reader that saw every change.
 */
export function jobsTopicSpec(topic: string): TopicSpec {
  return { topic, numPartitions: 1, config: { 'cleanup.policy': 'compact' } };
}

/**
 * One partition so that offsets form one sequence. The records themselves are never read again:
 * an hour of retention (in hourly segments) keeps the topic tiny, and Kafka never reuses an offset
 * when it deletes old segments.
 */
export function jobIdsTopicSpec(topic: string): TopicSpec {
  return { topic, numPartitions: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '3600000', 'segment.ms': '3600000' } };
}

/** Compacted like the jobs topic; one partition is plenty for one small record per job every few seconds. */
export function jobHealthTopicSpec(topic: string): TopicSpec {
  return { topic, numPartitions: 1, config: { 'cleanup.policy': 'compact' } };
}
