import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryJobStore } from '@sluice/job-store';
import { createApiMetrics } from '../../src/index.js';
import { testApi, zonePath } from '../support/api-fixture.js';

void test('/healthz answers without credentials; /readyz says 503 naming Kafka when it does not answer', async () => {
  let kafkaUp = false;
  const lag = { lag: () => Promise.resolve([]), groupLag: () => Promise.resolve([]), ping: () => (kafkaUp ? Promise.resolve() : Promise.reject(Object.assign(new Error('Kafka did not answer within 5000 ms'), { code: 'KAFKA_UNREACHABLE' }))), close: () => Promise.resolve() };
  const api = testApi({ lag });
  const live = await api.call<unknown>('GET', '/healthz', { token: null });
  assert.equal(live.status, 200);
  const notReady = await api.call<unknown>('GET', '/readyz', { token: null });
  assert.equal(notReady.status, 503);
  assert.equal((notReady.body as unknown as { code: string }).code, 'KAFKA_UNREACHABLE');
  kafkaUp = true;
  assert.equal((await api.call('GET', '/readyz', { token: null })).status, 200);
});

void test('/metrics counts answers by route pattern and status, never by path, and counts refused credentials', async () => {
  const metrics = createApiMetrics({ store: createMemoryJobStore(), processMetrics: false });
  const api = testApi({ metrics });
  assert.equal((await api.call('GET', zonePath('/logpush/jobs'))).status, 200);
  assert.equal((await api.call('GET', zonePath('/logpush/jobs'))).status, 200);
  assert.equal((await api.call('GET', zonePath('/logpush/jobs'), { token: 'not-a-token' })).status, 401);
  const response = await api.app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(response.statusCode, 200);
  assert.match(response.headers['content-type'] as string, /^text\/plain/);
  const text = response.body;
  assert.match(text, /^sluice_api_requests_total\{route="\/client\/v4\/zones\/:zone_id\/logpush\/jobs",method="GET",status="200"\} 2$/m);
  assert.match(text, /^sluice_api_requests_total\{route="\/client\/v4\/zones\/:zone_id\/logpush\/jobs",method="GET",status="401"\} 1$/m);
  assert.match(text, /^sluice_api_auth_failures_total\{status="401"\} 1$/m);
  assert.match(text, /^sluice_api_request_duration_seconds_count\{route="\/client\/v4\/zones\/:zone_id\/logpush\/jobs",method="GET"\} 3$/m);
  assert.match(text, /^sluice_api_job_store_catch_up_seconds \d/m);
  assert.doesNotMatch(text, new RegExp(zonePath('').split('/')[4] ?? 'zone id'), 'no zone id in any label');
});
