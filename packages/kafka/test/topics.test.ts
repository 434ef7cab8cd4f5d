import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCESS_REQUESTS_TOPIC, accessTopicConfig, DEFAULT_ACCESS_RETENTION, topicConfigFor } from '../src/index.js';

const DAY_MS = 86_400_000;

test('the access_requests topic is created keeping events for six months whoever creates it', () => {
  assert.deepEqual(topicConfigFor({ topic: ACCESS_REQUESTS_TOPIC, numPartitions: 6 }), { 'retention.ms': String(183 * DAY_MS) });
  assert.equal(DEFAULT_ACCESS_RETENTION.deniedMs, 7 * DAY_MS);
});

test('the topic keeps the longer of the two retentions, since Kafka deletes per topic', () => {
  assert.deepEqual(accessTopicConfig({ allowedMs: 1_000, deniedMs: 5_000 }), { 'retention.ms': '5000' });
});

test("a spec's own config wins over the topic's defaults, and other topics get none", () => {
  assert.deepEqual(topicConfigFor({ topic: ACCESS_REQUESTS_TOPIC, numPartitions: 1, config: { 'retention.ms': '42' } }), { 'retention.ms': '42' });
  assert.deepEqual(topicConfigFor({ topic: 'sluice.http_requests', numPartitions: 6 }), {});
  assert.deepEqual(topicConfigFor({ topic: 'sluice.jobs', numPartitions: 1, config: { 'cleanup.policy': 'compact' } }), { 'cleanup.policy': 'compact' });
});
