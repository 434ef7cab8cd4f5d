import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@sluice/logging';
import type { LagReader, TopicPartitionLag } from '@sluice/kafka';
import { createJobStatus } from '../../src/job-status.js';
import type { JobStatus } from '../../src/job-status.js';
import { createPusherMetrics } from '../../src/metrics/pusher-metrics.js';
import type { PusherMetricsOptions } from '../../src/metrics/pusher-metrics.js';

const logger = createLogger({ name: 'test', level: 'silent' });
const NOW = Date.parse('2026-12-07T12:00:00Z');

function lagReader(answer: () => Promise<TopicPartitionLag[]>, asked: string[] = []): LagReader {
  return {
    lag: () => Promise.reject(new Error('metrics ask by group')),
    groupLag: (groupId) => {
      asked.push(groupId);
      return answer();
    },
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

function metricsOf(statuses: JobStatus[], extra: Partial<PusherMetricsOptions> = {}) {
  return createPusherMetrics({ statuses: () => statuses, groupOf: (id) => `sluice-job-${id}`, threads: () => 2, logger, now: () => NOW, processMetrics: false, ...extra });
}

/** The value of one sample line, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

void test('each job\'s counters and state come from its status, labelled by id and name and never by destination', async () => {
  const archive = createJobStatus(1, 'archive', 's3://bucket/path?secret-access-key=REDACTED');
  archive.status.records_consumed = 120;
  archive.status.records_out_of_scope = 20;
  archive.delivered('s3://bucket/path/x.log.gz', 90, 9_000, 900, NOW);
  archive.retried('HTTP_503');
  archive.retried('HTTP_503');
  const siem = createJobStatus(2, 'siem', 'https://siem.example/ingest');
  siem.failed('HTTP_503', 'busy', NOW - 90_000);
  siem.status.consumption_paused = true;
  const held = { ...siem.status, oldest_undelivered: new Date(NOW - 12_000).toISOString(), batches_in_flight: 3 };
  const text = await metricsOf([archive.status, held]).registry.metrics();
  assert.equal(sample(text, 'sluice_pusher_records_consumed_total{job_id="1",job_name="archive"}'), 120);
  assert.equal(sample(text, 'sluice_pusher_records_out_of_scope_total{job_id="1",job_name="archive"}'), 20);
  assert.equal(sample(text, 'sluice_pusher_records_delivered_total{job_id="1",job_name="archive"}'), 90);
  assert.equal(sample(text, 'sluice_pusher_batches_delivered_total{job_id="1",job_name="archive"}'), 1);
  assert.equal(sample(text, 'sluice_pusher_delivered_bytes_total{job_id="1",job_name="archive",encoding="uncompressed"}'), 9_000);
  assert.equal(sample(text, 'sluice_pusher_delivered_bytes_total{job_id="1",job_name="archive",encoding="compressed"}'), 900);
  assert.equal(sample(text, 'sluice_pusher_retries_total{job_id="1",job_name="archive",code="HTTP_503"}'), 2);
  assert.equal(sample(text, 'sluice_pusher_failing_seconds{job_id="1",job_name="archive"}'), 0);
  assert.equal(sample(text, 'sluice_pusher_failing_seconds{job_id="2",job_name="siem"}'), 90);
  assert.equal(sample(text, 'sluice_pusher_paused{job_id="2",job_name="siem",reason="batches"}'), 1);
  assert.equal(sample(text, 'sluice_pusher_paused{job_id="2",job_name="siem",reason="memory"}'), 0);
  assert.equal(sample(text, 'sluice_pusher_batches_in_flight{job_id="2",job_name="siem"}'), 3);
  assert.equal(sample(text, 'sluice_pusher_oldest_undelivered_record_age_seconds{job_id="2",job_name="siem"}'), 12);
  assert.equal(sample(text, 'sluice_pusher_job_enabled{job_id="1",job_name="archive"}'), 1);
  assert.equal(sample(text, 'sluice_pusher_threads'), 2);
  assert.doesNotMatch(text, /bucket|siem\.example|s3:\/\/|https:\/\//, 'no destination in any label or value');
});

void test('consumer lag is read per job\'s group and partition, reused for a few seconds, and kept when Kafka fails', async () => {
  const job = createJobStatus(5, 'lagging', 's3://b');
  const asked: string[] = [];
  let answer: () => Promise<TopicPartitionLag[]> = () =>
    Promise.resolve([
      { topic: 'sluice.http_requests', partition: 0, committed: 10, end: 25, lag: 15 },
      { topic: 'sluice.http_requests', partition: 1, committed: null, end: 4, lag: null },
    ]);
  let clock = NOW;
  const metrics = metricsOf([job.status], { lag: lagReader(() => answer(), asked), now: () => clock });
  let text = await metrics.registry.metrics();
  assert.equal(sample(text, 'sluice_pusher_consumer_lag_records{job_id="5",job_name="lagging",partition="0"}'), 15);
  assert.equal(sample(text, 'sluice_pusher_consumer_lag_records{job_id="5",job_name="lagging",partition="1"}'), undefined, 'no commit, no lag figure');
  await metrics.registry.metrics();
  assert.deepEqual(asked, ['sluice-job-5'], 'a second scrape within 5 s reuses the reading');
  answer = () => Promise.reject(new Error('The coordinator is not available'));
  clock += 6_000;
  text = await metrics.registry.metrics();
  assert.equal(sample(text, 'sluice_pusher_consumer_lag_records{job_id="5",job_name="lagging",partition="0"}'), 15, 'the last figure stays');
  assert.equal(sample(text, 'sluice_pusher_lag_read_failures_total'), 1);
  answer = () => Promise.resolve([{ topic: 'sluice.http_requests', partition: 0, committed: 25, end: 25, lag: 0 }]);
  clock += 6_000;
  text = await metrics.registry.metrics();
  assert.equal(sample(text, 'sluice_pusher_consumer_lag_records{job_id="5",job_name="lagging",partition="0"}'), 0);
});

void test('delivery latency is a histogram per job, observed from the delivered events', async () => {
  const metrics = metricsOf([]);
  metrics.observe({ type: 'job-started', jobId: 3, name: 'archive', destination: 's3://b', seeded: 0 });
  metrics.observe({ type: 'batch-delivered', jobId: 3, partition: 0, location: 's3://b/x', records: 10, bytes: 100, compressedBytes: 10, durationMs: 30 });
  metrics.observe({ type: 'batch-delivered', jobId: 3, partition: 1, location: 's3://b/y', records: 10, bytes: 100, compressedBytes: 10, durationMs: 4_000 });
  const text = await metrics.registry.metrics();
  assert.equal(sample(text, 'sluice_pusher_delivery_duration_seconds_count{job_id="3",job_name="archive"}'), 2);
  assert.equal(sample(text, 'sluice_pusher_delivery_duration_seconds_bucket{le="0.05",job_id="3",job_name="archive"}'), 1);
  assert.equal(sample(text, 'sluice_pusher_delivery_duration_seconds_bucket{le="5",job_id="3",job_name="archive"}'), 2);
  assert.equal(sample(text, 'sluice_pusher_delivery_duration_seconds_sum{job_id="3",job_name="archive"}'), 4.03);
});
