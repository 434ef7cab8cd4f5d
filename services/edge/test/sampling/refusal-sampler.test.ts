import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createRefusalSampler, sourceKey } from '../../src/sampling/refusal-sampler.js';
import { createRefusedRecordGate } from '../../src/sampling/refused-record-gate.js';

const config = { perIp: 10, periodMs: 1_000, sampleOneIn: 5 };

test('refused requests are recorded in full up to the cap, then one in N, each kept record saying how many it stands for', () => {
  const sampler = createRefusalSampler(config, () => 0);
  const intervals = Array.from({ length: 60 }, () => sampler.admit('203.0.113.9'));
  assert.deepEqual(intervals.slice(0, 10), Array.from({ length: 10 }, () => 1));
  const beyond = intervals.slice(10);
  assert.equal(beyond.filter((i) => i === 5).length, 10);
  assert.equal(beyond.filter((i) => i === 0).length, 40);
  // Scaled back, the kept records count every request.
  assert.equal(intervals.reduce((sum, i) => sum + i, 0), 60);
  assert.equal(sampler.sampledOut, 40);
});

test('the cap is per client address and per period', () => {
  let now = 0;
  const sampler = createRefusalSampler(config, () => now);
  for (let i = 0; i < 10; i++) sampler.admit('203.0.113.9');
  assert.equal(sampler.admit('198.51.100.7'), 1, 'another address has a cap of its own');
  assert.equal(sampler.admit('203.0.113.9'), 5);
  now = 1_000;
  assert.equal(sampler.admit('203.0.113.9'), 1, 'a new period starts afresh');
});

test('IPv6 clients share the cap of their /64', () => {
  assert.equal(sourceKey('2001:db8:1:2:aaaa::1'), sourceKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
  assert.notEqual(sourceKey('2001:db8:1:2::1'), sourceKey('2001:db8:1:3::1'));
  assert.equal(sourceKey('10.0.0.1'), '10.0.0.1');
});

test('an allowed request is never sampled, and a refused one gets the same decision for both its records', () => {
  const gate = createRefusedRecordGate({ perIp: 1, periodMs: 1_000, sampleOneIn: 1_000 }, new Registry(), () => 0);
  for (let i = 0; i < 5; i++) assert.equal(gate.forRequest({ rayId: `a${i}`, clientIp: '203.0.113.9', action: 'allow' }), 1);
  assert.equal(gate.forAccess({ rayId: 'r1', ip: '203.0.113.9', allowed: false }), 1);
  assert.equal(gate.forRequest({ rayId: 'r1', clientIp: '203.0.113.9', action: 'block' }), 1);
  assert.equal(gate.forAccess({ rayId: 'r2', ip: '203.0.113.9', allowed: false }), 1_000);
  assert.equal(gate.forRequest({ rayId: 'r2', clientIp: '203.0.113.9', action: 'block' }), 1_000);
  assert.equal(gate.forAccess({ rayId: 'r3', ip: '203.0.113.9', allowed: false }), 0);
  assert.equal(gate.forRequest({ rayId: 'r3', clientIp: '203.0.113.9', action: 'block' }), 0);
  // Refused before the handler (no access record): decided on its own.
  assert.equal(gate.forRequest({ rayId: 'r4', clientIp: '198.51.100.7', action: 'block' }), 1);
});
