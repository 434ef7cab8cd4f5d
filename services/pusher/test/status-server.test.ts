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

void test('GET /healthz is 503 naming the failing and disabled jobs, 200 when all deliver', async () => {
  const healthy = createJobStatus(1, 'archive', 's3://b/p');
  const failing = createJobStatus(2, 'siem', 'https://siem');
  const disabled = createJobStatus(3, 'old', 'https://old');
  failing.failed('HTTP_503', 'busy', 0);
  disabled.disabled('failing for a day');
  let jobs = [healthy.status, failing.status, disabled.status];
  const server = await startStatusServer({ port: 0, statuses: () => jobs });
  try {
    const bad = await fetch(`${server.url}/healthz`);
    assert.equal(bad.status, 503);
    const body = (await bad.json()) as { healthy: boolean; failing: { id: number }[] };
    assert.equal(body.healthy, false);
    assert.deepEqual(body.failing.map((job) => job.id), [2, 3]);
    jobs = [healthy.status];
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
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
