import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getDataset } from '@sluice/schemas';
import type { JobView } from '../../src/index.js';
import { accessJob, accountPath, failureOf, httpJob, testApi, zonePath } from '../support/api-fixture.js';

describe('GET /{scope}/logpush/datasets/{dataset}/fields', () => {
  test('maps every field of the catalog to its description, in catalog order', async () => {
    const api = testApi();
    const reply = await api.call<Record<string, string>>('GET', zonePath('/logpush/datasets/http_requests/fields'));
    assert.equal(reply.status, 200);
    const dataset = getDataset('http_requests');
    assert.deepEqual(Object.keys(reply.body.result), [...dataset.fieldNames]);
    assert.equal(reply.body.result['ClientIP'], dataset.field('ClientIP')?.description);
    const account = await api.call<Record<string, string>>('GET', accountPath('/logpush/datasets/access_requests/fields'));
    assert.ok('Email' in account.body.result);
  });

  test('an unknown dataset is 1007, as is a dataset under the wrong kind of scope', async () => {
    const api = testApi();
    const unknown = await api.call('GET', zonePath('/logpush/datasets/firewall_events/fields'));
    assert.equal(unknown.status, 404);
    assert.equal(failureOf(unknown)[0]?.code, 1007);
    assert.match(failureOf(unknown)[0]?.message ?? '', /Sluice ships http_requests and access_requests/);
    const wrongScope = await api.call('GET', accountPath('/logpush/datasets/http_requests/fields'));
    assert.match(failureOf(wrongScope)[0]?.message ?? '', /it is a zone dataset/);
  });
});

describe('GET /{scope}/logpush/datasets/{dataset}/jobs', () => {
  test('lists the jobs of that dataset in this scope only', async () => {
    const api = testApi();
    await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob() });
    await api.call('POST', accountPath('/logpush/jobs'), { body: accessJob() });
    const zoneJobs = await api.call<JobView[]>('GET', zonePath('/logpush/datasets/http_requests/jobs'));
    assert.deepEqual(zoneJobs.body.result.map((job) => [job.id, job.dataset]), [[1, 'http_requests']]);
    const accountJobs = await api.call<JobView[]>('GET', accountPath('/logpush/datasets/access_requests/jobs'));
    assert.deepEqual(accountJobs.body.result.map((job) => job.id), [2]);
  });
});
