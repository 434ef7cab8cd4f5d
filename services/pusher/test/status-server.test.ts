import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJobStatus } from '../src/job-status.js';
import { startStatusServer } from '../src/status-server.js';

void test('GET /status lists every job with its health and counters', async () => {
  const healthy = createJobStatus(1, 'archive', 's3://b/p');
  healthy.delivered('s3://b/p/x.log.gz', 7, 700, 70, 0);
  const server = await startStatusServer({ port: 0, statuses: () => [healthy.status] });
  try {
    const response = await fetch(`${server.url}/status`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const body = (await response.json()) as { jobs: { id: number; records_delivered: number; last_complete: string }[] };
    assert.deepEqual(body.jobs.map((job) => [job.id, job.records_delivered, job.last_complete]), [[1, 7, '1970-01-01T00:00:00.000Z']]);
  } finally {
    await server.close();
  }
});

void test('GET /health/jobs is 503 naming the failing and disabled jobs, 200 when all deliver', async () => {
  const healthy = createJobStatus(1, 'archive', 's3://b/p');
  const failing = createJobStatus(2, 'siem', 'https://siem');
  const disabled = createJobStatus(3, 'old', 'https://old');
  failing.failed('HTTP_503', 'busy', 0);
  disabled.disabled('failing for a day');
  let jobs = [healthy.status, failing.status, disabled.status];
  const server = await startStatusServer({ port: 0, statuses: () => jobs });
  try {
    const bad = await fetch(`${server.url}/health/jobs`);
    assert.equal(bad.status, 503);
    const body = (await bad.json()) as { healthy: boolean; failing: { id: number }[] };
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'a failing destination is the job\'s trouble, never a reason to restart the process');
    assert.equal(body.healthy, false);
    assert.deepEqual(body.failing.map((job) => job.id), [2, 3]);
    jobs = [healthy.status];
    assert.equal((await fetch(`${server.url}/health/jobs`)).status, 200);
  } finally {
    await server.close();
  }
});

void test('unknown paths are 404 and writes are 405', async () => {
  const server = await startStatusServer({ port: 0, statuses: () => [] });
  try {
    assert.equal((await fetch(`${server.url}/jobs/1`)).status, 404);
    assert.equal((await fetch(`${server.url}/status`, { method: 'POST', body: '{}' })).status, 405);
  } finally {
    await server.close();
  }
});

void test('/healthz and /readyz answer what the probes say, 503 with the reason when they fail', async () => {
  let live = true;
  let ready = false;
  const probes = {
    live: () => Promise.resolve(live ? { ok: true, detail: {} } : { ok: false, detail: { code: 'PUSHER_THREAD_WEDGED' } }),
    ready: () => Promise.resolve(ready ? { ok: true, detail: {} } : { ok: false, detail: { code: 'KAFKA_UNREACHABLE' } }),
  };
  const server = await startStatusServer({ port: 0, statuses: () => [], probes });
  try {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const notReady = await fetch(`${server.url}/readyz`);
    assert.equal(notReady.status, 503);
    assert.deepEqual(await notReady.json(), { ok: false, code: 'KAFKA_UNREACHABLE' });
    ready = true;
    live = false;
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 503);
  } finally {
    await server.close();
  }
});

void test('a server limited to metrics and probes serves no job statuses', async () => {
  const { Registry } = await import('prom-client');
  const server = await startStatusServer({ port: 0, statuses: () => [createJobStatus(1, 'archive', 's3://b/p').status], metrics: new Registry(), paths: ['/metrics', '/healthz', '/readyz'] });
  try {
    assert.equal((await fetch(`${server.url}/status`)).status, 404);
    assert.equal((await fetch(`${server.url}/health/jobs`)).status, 404);
    const metrics = await fetch(`${server.url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
  } finally {
    await server.close();
  }
});
