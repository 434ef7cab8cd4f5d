// Creates Sluice's topics when missing; the broker does not auto-create them.
import type { Kafka } from 'kafkajs';
import { ACCESS_REQUESTS_TOPIC, accessTopicConfig } from './access-retention.js';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Extra broker config entries, e.g. `cleanup.policy=compact`. */
  config?: Readonly<Record<string, string>>;
}

/** Default partition count of dataset topics: room for a few pusher workers per job. */
export const DEFAULT_DATASET_PARTITIONS = 6;

/** Config a topic gets whoever creates it first (edge, pusher, API), unless the spec says otherwise. */
const TOPIC_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [ACCESS_REQUESTS_TOPIC]: accessTopicConfig(),
};

/** The entries a missing topic is created with: the topic's defaults, then the spec's own. */
export function topicConfigFor(spec: TopicSpec): Record<string, string> {
  return { ...(Object.hasOwn(TOPIC_DEFAULTS, spec.topic) ? TOPIC_DEFAULTS[spec.topic] : {}), ...spec.config };
}

export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.numPartitions,
        replicationFactor: -1,
        configEntries: Object.entries(topicConfigFor(s)).map(([name, value]) => ({ name, value })),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
