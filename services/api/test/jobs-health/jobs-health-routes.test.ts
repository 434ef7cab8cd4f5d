import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobHealthView, LagReader, PartitionLag } from '../../src/index.js';
import { OTHER_ZONE, ZONE_READER, httpJob, testApi, zonePath } from '../support/api-fixture.js';

/** Answers from a table by group and topic, and remembers what it was asked. */
function fakeLag(table: Record<string, PartitionLag[]>, asked: string[] = []): LagReader {
  return {
    lag(groupId, topic) {
      asked.push(`${groupId} ${topic}`);
      const found = table[groupId];
      return found ? Promise.resolve(found) : Promise.reject(new Error('The group coordinator is not available'));
    },
    groupLag: () => Promise.reject(new Error('job health asks by topic')),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

async function apiWithJob(lag?: LagReader) {
  const api = testApi(lag ? { lag } : {});
  const created = await api.call<{ id: number }>('POST', zonePath('/logpush/jobs'), { body: { ...httpJob(), enabled: true } });
  assert.equal(created.status, 200, created.text);
  return { api, id: created.body.result.id };
}

describe('GET /{scope}/logpush/jobs/sluice/health', () => {
  test('shows each job with Logpush’s health fields, records delivered from the workers’ reports, and its group’s lag summed over partitions', async () => {
    const asked: string[] = [];
    const lag = fakeLag(
      {
        'sluice-job-1': [
          { partition: 0, committed: 90, end: 100, lag: 10 },
          { partition: 1, committed: null, end: 5, lag: null },
          { partition: 2, committed: 7, end: 9, lag: 2 },
        ],
      },
      asked,
    );
    const { api, id } = await apiWithJob(lag);
    await api.health.publish([{ id, last_complete: '2026-01-31T11:59:30Z', last_error: null, error_message: null, reported_at: '2026-01-31T12:00:00Z', worker: 'w1', records_delivered: 4_200, failing_since: null }]);
    const reply = await api.call<JobHealthView[]>('GET', zonePath('/logpush/jobs/sluice/health'), { token: ZONE_READER });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(asked, ['sluice-job-1 sluice.http_requests']);
    const [job] = reply.body.result;
    assert.deepEqual({ ...job, lag_by_partition: job?.lag_by_partition.length }, {
      id,
      name: 'siem',
      dataset: 'http_requests',
      enabled: true,
      last_complete: '2026-01-31T11:59:30Z',
      last_error: null,
      error_message: null,
      failing_since: null,
      records_delivered: 4_200,
      consumer_lag: 12,
      lag_by_partition: 3,
      lag_error: null,
      reported_at: '2026-01-31T12:00:00Z',
      worker: 'w1',
    });
  });

  test('still answers when Kafka does not: lag unknown, with the reason', async () => {
    const { api, id } = await apiWithJob(fakeLag({}));
    const reply = await api.call<JobHealthView>('GET', zonePath(`/logpush/jobs/${id}/sluice/health`));
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.result.consumer_lag, null);
    assert.equal(reply.body.result.records_delivered, null, 'no worker has reported yet');
    assert.equal(reply.body.result.lag_error, 'LAG_UNAVAILABLE: The group coordinator is not available');
  });

  test('says the API runs without Kafka when it has no lag reader', async () => {
    const { api, id } = await apiWithJob();
    const reply = await api.call<JobHealthView>('GET', zonePath(`/logpush/jobs/${id}/sluice/health`));
    assert.equal(reply.body.result.lag_error, 'LAG_UNAVAILABLE: this API runs without Kafka');
  });

  test('keeps other zones’ jobs out: 404 for one, an empty list for all', async () => {
    const { api, id } = await apiWithJob(fakeLag({}));
    const one = await api.call('GET', zonePath(`/logpush/jobs/${id}/sluice/health`, OTHER_ZONE));
    assert.equal(one.status, 404);
    assert.equal(one.body.errors[0]?.code, 1002);
    const all = await api.call<unknown[]>('GET', zonePath('/logpush/jobs/sluice/health', OTHER_ZONE));
    assert.deepEqual(all.body.result, []);
  });
});
