import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sumPublisherStats } from '../../src/cluster/stats-sum.js';
import type { PublisherStats } from '../../src/publish/publisher-stats.js';

function stats(overrides: Partial<PublisherStats>): PublisherStats {
  return { published: 0, spooled: 0, replayed: 0, dropped: 0, queued: 0, spoolBytes: 0, spoolRecords: 0, mode: 'direct', kafkaHealthy: true, spoolDamage: { corruptRegions: 0, corruptBytes: 0, truncatedBytes: 0, writeFailedRecords: 0, damagedRecords: 0 }, ...overrides };
}

test('the workers\' counts and sizes add up to the gateway\'s', () => {
  const total = sumPublisherStats([
    stats({ published: 10, spooled: 3, replayed: 2, dropped: 1, queued: 4, spoolBytes: 100, spoolRecords: 1, truncated: 2, spoolDamage: { corruptRegions: 1, corruptBytes: 10, truncatedBytes: 0, writeFailedRecords: 0, damagedRecords: 5 } }),
    stats({ published: 20, spooled: 7, replayed: 8, dropped: 0, queued: 6, spoolBytes: 50, spoolRecords: 2, quarantined: 1 }),
  ]);
  assert.deepEqual(total, {
    published: 30,
    spooled: 10,
    replayed: 10,
    dropped: 1,
    queued: 10,
    spoolBytes: 150,
    spoolRecords: 3,
    truncated: 2,
    quarantined: 1,
    mode: 'direct',
    kafkaHealthy: true,
    spoolDamage: { corruptRegions: 1, corruptBytes: 10, truncatedBytes: 0, writeFailedRecords: 0, damagedRecords: 5 },
  });
});

test('one worker spooling or cut off from Kafka makes the whole gateway so', () => {
  const total = sumPublisherStats([stats({}), stats({ mode: 'spooling', kafkaHealthy: false })]);
  assert.equal(total?.mode, 'spooling');
  assert.equal(total?.kafkaHealthy, false);
  assert.equal(sumPublisherStats([]), undefined);
  assert.equal(sumPublisherStats([stats({ durability: 'sync' })])?.durability, 'sync');
});
