// Reads each topic's `max.message.bytes` from the broker (admin DescribeConfigs), the limit a send must stay under.
import kafkajs from 'kafkajs';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@sluice/logging';
import type { MessageLimits } from '../sizing/message-limits.js';

// kafkajs is CommonJS: Node's ESM loader finds only some of its named exports, and not this one.
const { ConfigResourceTypes } = kafkajs;

/**
 * Sets `limits` from the broker; on failure (e.g. an ACL without DescribeConfigs) keeps the default
 * and logs why: the broker's refusals then teach the limit (sized-sender.ts), so a wrong guess costs
 * a few refused sends, never a wedge.
 */
export async function readTopicMessageLimits(kafka: Kafka, topics: readonly string[], limits: MessageLimits, logger: Logger): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] })),
    });
    for (const resource of described.resources) {
      const entry = resource.configEntries.find((e) => e.configName === 'max.message.bytes');
      const bytes = Number(entry?.configValue);
      if (Number.isSafeInteger(bytes) && bytes > 0) limits.set(resource.resourceName, bytes);
    }
  } catch (error) {
    logger.warn({ err: error }, "cannot read the topics' max.message.bytes; assuming Kafka's default until the broker says otherwise");
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
