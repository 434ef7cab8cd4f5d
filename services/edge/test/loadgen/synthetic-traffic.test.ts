import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticTraffic, syntheticZone } from '../../src/loadgen/synthetic-traffic.js';
import { recordToJson } from '../../src/loadgen/json-lines.js';

function take(n: number, seed: number) {
  const out = [];
  const traffic = syntheticTraffic({ zones: ['a.example', 'b.example'], seed, startTimeMs: Date.UTC(2026, 0, 1) });
  for (let i = 0; i < n; i++) out.push(traffic.next().value);
  return out;
}

test('the same seed gives the same records', () => {
  assert.deepEqual(take(50, 7).map((r) => r.record), take(50, 7).map((r) => r.record));
  assert.notDeepEqual(take(50, 7).map((r) => r.record['RayID']), take(50, 8).map((r) => r.record['RayID']));
});

test('timestamps never go backwards and each record names its zone and user', () => {
  const records = take(2000, 1);
  let previous = 0n;
  for (const { zone, record } of records) {
    const start = record['EdgeStartTimestamp'] as bigint;
    assert.ok(start >= previous);
    previous = start;
    assert.equal(record['_zone_id'], zone.zoneId);
    assert.ok(String(record['ClientRequestHost']).endsWith(`.${zone.name}`));
    assert.match((record['RequestHeaders'] as Record<string, string>)['cf-access-user'] ?? '', /^[a-z]+$/);
  }
  const zones = new Set(records.map((r) => r.zone.name));
  assert.deepEqual([...zones].sort(), ['a.example', 'b.example']);
});

test('zone ids are 32 lowercase hex characters, stable per zone name', () => {
  assert.match(syntheticZone('a.example').zoneId, /^[0-9a-f]{32}$/);
  assert.equal(syntheticZone('a.example').zoneId, syntheticZone('a.example').zoneId);
  assert.notEqual(syntheticZone('a.example').zoneId, syntheticZone('b.example').zoneId);
});

test('JSON lines keep nanosecond timestamps exact', () => {
  assert.equal(recordToJson({ EdgeStartTimestamp: 1700000000016478501n, ClientIP: '1.2.3.4' }), '{"EdgeStartTimestamp":1700000000016478501,"ClientIP":"1.2.3.4"}');
});
