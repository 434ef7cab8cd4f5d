import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRouteTable } from '../src/route-table.js';
import { documentPath, routerPath, createSerialQueue } from '../src/route-spec.js';

test('paths match their patterns with any parameter value, and HEAD follows GET', () => {
  const table = createRouteTable();
  table.add('GET', routerPath('zones', '/logpush/jobs/{job_id}'));
  table.add('PUT', routerPath('zones', '/logpush/jobs/{job_id}'));
  assert.deepEqual(table.methodsFor('/client/v4/zones/abc/logpush/jobs/12?x=1'), ['GET', 'HEAD', 'PUT']);
  assert.deepEqual(table.methodsFor('/client/v4/zones/abc/logpush/jobs/12/'), ['GET', 'HEAD', 'PUT']);
  assert.deepEqual(table.methodsFor('/client/v4/zones/abc/logpush/jobs/12/x'), []);
});

test('route paths are written once, for the router and the document', () => {
  assert.equal(routerPath('accounts', '/logpush/jobs/{job_id}'), '/client/v4/accounts/:account_id/logpush/jobs/:job_id');
  assert.equal(documentPath('zones', '/logpush/datasets/{dataset}/fields'), '/zones/{zone_id}/logpush/datasets/{dataset}/fields');
});

test('the serial queue runs work one at a time, in order, and survives a failure', async () => {
  const serial = createSerialQueue();
  const order: string[] = [];
  const slow = serial(async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    order.push('slow');
  });
  const failing = serial(() => Promise.reject(new Error('boom')));
  const fast = serial(() => {
    order.push('fast');
    return Promise.resolve(1);
  });
  await slow;
  await assert.rejects(failing, /boom/);
  assert.equal(await fast, 1);
  assert.deepEqual(order, ['slow', 'fast']);
});
