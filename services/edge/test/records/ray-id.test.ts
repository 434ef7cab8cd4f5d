import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRayIdSource } from '../../src/records/ray-id.js';

test('RayIDs are 16 lowercase hex digits and do not repeat across pool refills', () => {
  const next = createRayIdSource();
  const seen = new Set<string>();
  for (let i = 0; i < 5_000; i++) {
    const id = next();
    assert.match(id, /^[0-9a-f]{16}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 5_000);
});
