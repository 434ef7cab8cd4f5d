import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packRecords, unpackRecords } from '../../../src/publish/thread/thread-messages.js';
import type { PublishedMessage } from '../../../src/publish/published-message.js';

test('a packed run unpacks to the same records, in order, keys and headers included', () => {
  const records: PublishedMessage[] = [
    { topic: 'sluice.http_requests', value: Buffer.from('first'), key: 'a1b2c3d4e5f60718', headers: { 'sluice-zone-id': 'z1' }, timestampMs: 1_700_000_000_001 },
    { topic: 'sluice.access_requests', value: Buffer.alloc(0), headers: {}, timestampMs: 1_700_000_000_002 },
    { topic: 'sluice.http_requests', value: Buffer.from([0xc3, 0x01, 0xff, 0x00]), key: 'ffffffffffffffff', headers: { a: '1', b: '2' }, timestampMs: 1_700_000_000_003 },
  ];
  const back = unpackRecords(structuredClone(packRecords(records)));
  assert.deepEqual(
    back.map((r) => ({ ...r, value: [...r.value] })),
    records.map((r) => ({ ...r, value: [...r.value] })),
  );
  assert.equal('key' in (back[1] ?? {}), false, 'a record without a key stays without one');
});

test('only the records\' own bytes cross: values sliced from a shared pool do not bring the pool along', () => {
  // Small Buffers share one pool slab; cloning one of them as it is would copy the whole slab.
  const values = [Buffer.from('abc'), Buffer.from('defgh')];
  assert.ok(values[0]?.buffer.byteLength !== 3, 'this test needs pooled Buffers');
  const run = packRecords(values.map((value, i) => ({ topic: 't', value, headers: {}, timestampMs: i })));
  assert.equal(run.values.byteLength, 8);
  assert.deepEqual(run.ends, [3, 8]);
});
