import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminServer } from '../../src/gateway/admin-server.js';
import { createEdgeMetrics } from '../../src/gateway/edge-metrics.js';
import type { PublisherStats, RecordPublisher } from '../../src/publish/record-publisher.js';

function publisherWith(stats: { dropped: number; spoolRecords: number; mode: 'direct' | 'spooling' }): RecordPublisher {
  return {
    publish: () => undefined,
    stats: (): PublisherStats => ({ published: 10, spooled: 7, replayed: 2, queued: 0, spoolBytes: 4096, kafkaHealthy: stats.mode === 'direct', spoolDamage: { corruptRegions: 0, corruptBytes: 0, truncatedBytes: 0, writeFailedRecords: 0, damagedRecords: 0 }, sendSeconds: { counts: [0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], sum: 31.5, count: 4 }, ...stats }),
    drained: () => Promise.resolve(true),
    close: () => Promise.resolve(),
  };
}

test('metrics show spooled and dropped records, and readiness turns 503 while records are being dropped, liveness never', async () => {
  const state = { dropped: 0, spoolRecords: 5, mode: 'spooling' as 'direct' | 'spooling' };
  const publisher = publisherWith(state);
  const metrics = createEdgeMetrics();
  metrics.watchPublisher(publisher);
  metrics.denied('wiki', 'IDENTITY_EXPIRED').inc();
  const admin = await startAdminServer('127.0.0.1', 0, metrics, publisher);
  const base = `http://127.0.0.1:${admin.address.port}`;
  try {
    assert.equal((await fetch(`${base}/readyz`)).status, 200, 'Kafka being away alone is not unready: requests still flow');
    state.dropped = 3;
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /sluice_edge_publisher_records\{state="dropped"\} 3/);
    assert.match(text, /sluice_edge_publisher_records\{state="on_disk"\} 5/);
    assert.match(text, /sluice_edge_spool_bytes 4096/);
    assert.match(text, /sluice_edge_kafka_healthy 0/);
    assert.match(text, /sluice_edge_denied_total\{app="wiki",code="IDENTITY_EXPIRED"\} 1/);
    // The publisher thread's send timings, as a histogram: cumulative buckets, +Inf, sum and count.
    assert.match(text, /^# TYPE sluice_edge_publisher_send_duration_seconds histogram$/m);
    assert.match(text, /^sluice_edge_publisher_send_duration_seconds_bucket\{le="0.001"\} 0$/m);
    assert.match(text, /^sluice_edge_publisher_send_duration_seconds_bucket\{le="0.005"\} 2$/m);
    assert.match(text, /^sluice_edge_publisher_send_duration_seconds_bucket\{le="0.01"\} 3$/m);
    assert.match(text, /^sluice_edge_publisher_send_duration_seconds_bucket\{le="30"\} 3$/m);
    assert.match(text, /^sluice_edge_publisher_send_duration_seconds_bucket\{le="\+Inf"\} 4$/m);
    assert.match(text, /^sluice_edge_publisher_send_duration_seconds_count 4$/m);
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'a restart would not empty the spool: still live');
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(await ready.text(), /dropping records/);
    assert.equal((await fetch(`${base}/readyz`)).status, 200, 'ready again once no more are dropped');
  } finally {
    await admin.close();
  }
});
