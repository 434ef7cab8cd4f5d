import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Destination } from '@sluice/destinations';
import { throwSafe } from '../../src/delivery/throw-safe.js';

const batch = { body: Buffer.alloc(0), records: 0, uncompressedBytes: 0, startTimeMs: 0, endTimeMs: 0, suffix: 's' };

test('a destination that never answers is left behind when the signal aborts', async () => {
  const hung: Destination = { kind: 'x', description: 'x', deliver: () => new Promise(() => undefined), close: () => Promise.resolve() };
  const abort = new AbortController();
  const pending = throwSafe(hung).deliver(batch, abort.signal);
  abort.abort();
  assert.deepEqual(await pending, { status: 'retryable', code: 'DESTINATION_ABORTED', message: 'the delivery was cut short' });
});

test('validate and writeChallenge survive the wrapper, and their throws become results too', async () => {
  const throwing: Destination = {
    kind: 'x',
    description: 'x',
    deliver: () => Promise.reject(new Error('d')),
    validate: () => Promise.reject(new Error('v')),
    writeChallenge: () => Promise.reject(new Error('w')),
    close: () => Promise.resolve(),
  };
  const safe = throwSafe(throwing);
  const signal = new AbortController().signal;
  assert.equal((await safe.validate?.(Buffer.alloc(0), signal))?.status, 'retryable');
  assert.match(JSON.stringify(await safe.writeChallenge?.('k', 'c', signal)), /DESTINATION_THREW.*w/);
  const bare: Destination = { kind: 'x', description: 'x', deliver: () => Promise.reject(new Error('d')), close: () => Promise.resolve() };
  assert.equal('validate' in throwSafe(bare), false, 'no method appears that the destination lacks');
});
