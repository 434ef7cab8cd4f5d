// The access topic's retention is brought to match the API's, on a real broker, whoever created the topic, and the topic's other settings survive.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigResourceTypes, Kafka } from 'kafkajs';
import { startAccessLogIngest, createAccessLogStore } from '@sluice/api';
import { alignTopicConfig } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { runTag, testEnv, testKafka } from '../../src/index.js';

const DAY_MS = 86_400_000;
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
const kafka = testKafka(testEnv(), 'access-topic-retention');
const logger = createLogger({ name: 'access-topic-retention', level: 'silent' });
const topics: string[] = [];

after(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
});

async function overrides(client: Kafka, topic: string): Promise<Record<string, string | null>> {
  const admin = client.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic }] });
    return Object.fromEntries((described.resources[0]?.configEntries ?? []).filter((e) => Number(e.configSource) === 1).map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

async function createTopic(topic: string, configEntries: { name: string; value: string }[]): Promise<void> {
  topics.push(topic);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: -1, configEntries }] });
  } finally {
    await admin.disconnect();
  }
}

test('an access topic made with a one-day retention by someone else gets the API\'s, and keeps its other overrides', async () => {
  const topic = `sluice.access_requests.retention-${runTag()}`;
  await createTopic(topic, [
    { name: 'retention.ms', value: String(DAY_MS) },
    { name: 'max.message.bytes', value: '2000000' },
  ]);
  const ingest = startAccessLogIngest({ kafka, store: createAccessLogStore(), logger, topic, retention: { allowedMs: 30 * DAY_MS, deniedMs: 3 * DAY_MS } });
  try {
    await ingest.start();
    assert.deepEqual(await overrides(kafka, topic), { 'retention.ms': String(30 * DAY_MS), 'max.message.bytes': '2000000' });
  } finally {
    await ingest.close();
  }
});

test('a topic already matching is left as it is, and a changed retention is reported', async () => {
  const topic = `sluice.access_requests.retention-${runTag()}`;
  await createTopic(topic, [{ name: 'retention.ms', value: String(7 * DAY_MS) }]);
  assert.deepEqual(await alignTopicConfig(kafka, topic, { 'retention.ms': String(7 * DAY_MS) }), []);
  assert.deepEqual(await alignTopicConfig(kafka, topic, { 'retention.ms': String(183 * DAY_MS) }), [{ name: 'retention.ms', from: String(7 * DAY_MS), to: String(183 * DAY_MS) }]);
  assert.deepEqual(await overrides(kafka, topic), { 'retention.ms': String(183 * DAY_MS) });
});
