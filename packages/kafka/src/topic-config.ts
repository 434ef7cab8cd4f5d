// Brings an existing topic's settings to what Sluice needs (the access topic's retention), keeping every other override it has.
import type { ConfigResourceTypes, Kafka } from 'kafkajs';

/** TOPIC_RESOURCE: kafkajs is CommonJS, and Node's ESM import cannot see that export by name. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

/** Where a topic setting came from, as DescribeConfigs reports it: 1 is an override on the topic itself. */
const DYNAMIC_TOPIC_CONFIG = 1;

export interface TopicConfigChange {
  readonly name: string;
  /** The value before; undefined when the topic had no override (the broker's default applied). */
  readonly from: string | undefined;
  readonly to: string;
}

export class TopicConfigError extends Error {
  readonly code = 'TOPIC_CONFIG_UNSAFE';
  constructor(message: string) {
    super(message);
    this.name = 'TopicConfigError';
  }
}

/**
 * Sets `wanted` on `topic` where its overrides differ, and returns what changed. Kafka's AlterConfigs
 * (the call kafkajs speaks) replaces a topic's whole set of overrides, so the others are read first and
 * sent back unchanged; a topic holding an override whose value the broker hides (a sensitive one) is
 * left alone rather than have that setting erased.
 */
export async function alignTopicConfig(kafka: Kafka, topic: string, wanted: Readonly<Record<string, string>>): Promise<TopicConfigChange[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic }] });
    const entries = described.resources[0]?.configEntries ?? [];
    const overrides = new Map<string, string | null>();
    for (const entry of entries) if (Number(entry.configSource) === DYNAMIC_TOPIC_CONFIG) overrides.set(entry.configName, entry.configValue);
    const changes: TopicConfigChange[] = [];
    for (const [name, to] of Object.entries(wanted)) {
      const from = overrides.get(name) ?? undefined;
      if (from !== to) changes.push({ name, from: from ?? undefined, to });
    }
    if (changes.length === 0) return [];
    const hidden = [...overrides].filter(([name, value]) => value === null && !Object.hasOwn(wanted, name)).map(([name]) => name);
    if (hidden.length > 0) throw new TopicConfigError(`${topic} has overrides whose values the broker hides (${hidden.join(', ')}); set ${changes.map((c) => `${c.name}=${c.to}`).join(', ')} on it by hand`);
    const merged = new Map<string, string>([...overrides].filter((entry): entry is [string, string] => entry[1] !== null));
    for (const change of changes) merged.set(change.name, change.to);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: TOPIC_RESOURCE, name: topic, configEntries: [...merged].map(([name, value]) => ({ name, value })) }],
    });
    return changes;
  } finally {
    await admin.disconnect();
  }
}
