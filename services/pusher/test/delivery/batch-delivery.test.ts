import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@sluice/logging';
import type { DeliveryResult, Destination } from '@sluice/destinations';
import type { SealedBatch } from '@sluice/pipeline';
import { createBatchDelivery } from '../../src/delivery/batch-delivery.js';
import { createJobStatus } from '../../src/job-status.js';
import type { DeadLetter } from '../../src/dead-letter/dead-letter-writer.js';
import { FAST_RETRY } from '../support/runner-fixture.js';

const sealed: SealedBatch = { body: Buffer.from('gz'), parts: [{ body: Buffer.from('gz'), records: 3, uncompressedBytes: 30 }], records: 3, uncompressedBytes: 30, firstOffset: 10, lastOffset: 12, offsets: [10, 11, 12], startTimeMs: 0, endTimeMs: 1 };

function setup(results: (DeliveryResult | Error)[], keepLetters = true) {
  const tracker = createJobStatus(1, 'job', 'fake');
  const letters: DeadLetter[] = [];
  const seen: string[] = [];
  const destination: Destination = {
    kind: 'fake',
    description: 'fake',
    deliver(batch) {
      seen.push(batch.suffix);
      const next = results.shift() ?? { status: 'delivered', location: 'x' };
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    close: () => Promise.resolve(),
  };
  const delivery = createBatchDelivery({
    jobId: 1,
    topic: 't',
    destination,
    retryPolicy: { ...FAST_RETRY, maxAttempts: 2 },
    rejectedPolicy: FAST_RETRY,
    deadLetters: { write: (l) => (letters.push(...l), Promise.resolve(keepLetters)) },
    tracker,
    log: createLogger({ name: 'test', level: 'silent' }),
    emit: () => undefined,
    now: () => 0,
  });
  return { delivery, tracker, letters, seen };
}

test('a rejected batch waits under the policy and goes again with the same suffix until taken', async () => {
  const { delivery, tracker, seen } = setup([{ status: 'rejected', code: 'S3_ACCESS_DENIED', message: 'denied' }, { status: 'rejected', code: 'S3_ACCESS_DENIED', message: 'denied' }]);
  const outcome = await delivery.deliver(2, sealed, new AbortController().signal);
  assert.deepEqual(outcome, { status: 'delivered', location: 'x', records: 3 });
  assert.deepEqual(seen, ['job1-p2-o10', 'job1-p2-o10', 'job1-p2-o10']);
  assert.equal(tracker.status.error_message, null, 'a success clears the failure');
  assert.equal(tracker.status.records_delivered, 3);
});

test('retryable failures past the policy’s attempts wait and go again too: nothing is given up', async () => {
  const retryable: DeliveryResult = { status: 'retryable', code: 'HTTP_503', message: 'busy' };
  const { delivery, seen } = setup([retryable, retryable, retryable, retryable]);
  assert.equal((await delivery.deliver(0, sealed, new AbortController().signal)).status, 'delivered');
  assert.equal(seen.length, 5);
});

test('refused records go to the dead-letter writer as they were sent, and count only what was delivered', async () => {
  const { delivery, tracker, letters } = setup([{ status: 'delivered', location: 'es', refused: [{ offset: 11, code: 'ES_MAPPING', reason: 'bad field', document: '{"a":1}' }] }]);
  const outcome = await delivery.deliver(0, sealed, new AbortController().signal);
  assert.deepEqual(outcome, { status: 'delivered', location: 'es', records: 2 });
  assert.deepEqual(letters.map((l) => [l.offset, l.code, l.value.toString()]), [['11', 'ES_MAPPING', '{"a":1}']]);
  assert.equal(tracker.status.records_dead_lettered, 1);
});

test('a batch whose refusals could not be kept is not delivered', async () => {
  const { delivery } = setup([{ status: 'delivered', location: 'es', refused: [{ offset: 11, code: 'ES_MAPPING', reason: 'bad', document: '{}' }] }], false);
  assert.deepEqual(await delivery.deliver(0, sealed, new AbortController().signal), { status: 'abandoned' });
});

test('a throwing destination counts as a coded retryable failure', async () => {
  const { delivery, tracker } = setup([new Error('unexpected token <')]);
  assert.equal((await delivery.deliver(0, sealed, new AbortController().signal)).status, 'delivered');
  assert.equal(tracker.status.retries_by_code.DESTINATION_THREW, 1);
});

test('an abort during the wait abandons the batch', async () => {
  const abort = new AbortController();
  const { delivery } = setup([{ status: 'rejected', code: 'X', message: 'x' }]);
  abort.abort();
  assert.deepEqual(await delivery.deliver(0, sealed, abort.signal), { status: 'abandoned' });
});
