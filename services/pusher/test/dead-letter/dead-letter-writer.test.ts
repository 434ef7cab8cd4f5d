import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@sluice/logging';
import type { OutgoingRecord } from '@sluice/kafka';
import { createDeadLetterWriter, TRUNCATED_HEADER } from '../../src/dead-letter/dead-letter-writer.js';
import { FAST_RETRY } from '../support/runner-fixture.js';

const log = createLogger({ name: 'test', level: 'silent' });

function producer(failures = 0) {
  const sends: OutgoingRecord[][] = [];
  let left = failures;
  return {
    sends,
    send(_topic: string, records: readonly OutgoingRecord[]) {
      if (left-- > 0) return Promise.reject(Object.assign(new Error('not enough replicas'), { type: 'NOT_ENOUGH_REPLICAS' }));
      sends.push([...records]);
      return Promise.resolve();
    },
  };
}

const letter = (bytes: number, offset = 1) => ({ value: Buffer.alloc(bytes, 0x61), code: 'DECODE_BAD_AVRO', reason: 'truncated header', partition: 3, offset: String(offset) });

test('a letter larger than the topic takes is stored truncated, with its full size in a header', async () => {
  const p = producer();
  const writer = createDeadLetterWriter({ producer: p, jobId: 1, topic: 'sluice.http_requests', policy: FAST_RETRY, log, maxValueBytes: 100 });
  assert.equal(await writer.write([letter(250)], new AbortController().signal), true);
  const [record] = p.sends[0] ?? [];
  assert.equal(record?.value.length, 100);
  assert.equal(record?.headers?.[TRUNCATED_HEADER], '250');
  assert.equal(record?.headers?.['sluice-dlq-partition'], '3');
});

test('many letters go out in sends under the size limit, in order', async () => {
  const p = producer();
  const writer = createDeadLetterWriter({ producer: p, jobId: 1, topic: 't', policy: FAST_RETRY, log, maxValueBytes: 100, maxSendBytes: 250 });
  await writer.write(Array.from({ length: 7 }, (_, i) => letter(100, i)), new AbortController().signal);
  assert.deepEqual(p.sends.map((s) => s.length), [2, 2, 2, 1]);
  assert.deepEqual(p.sends.flat().map((r) => r.headers?.['sluice-dlq-offset']), ['0', '1', '2', '3', '4', '5', '6']);
});

test('reason and code headers are bounded whatever the reason says', async () => {
  const p = producer();
  const writer = createDeadLetterWriter({ producer: p, jobId: 1, topic: 't', policy: FAST_RETRY, log });
  await writer.write([{ ...letter(1), code: 'C'.repeat(500), reason: 'r'.repeat(50_000) }], new AbortController().signal);
  const headers = p.sends[0]?.[0]?.headers ?? {};
  assert.equal(String(headers['sluice-dlq-reason-code']).length, 100);
  assert.equal(String(headers['sluice-dlq-reason']).length, 1000);
});

test('a failing topic is retried under the policy, each failure reported with a code', async () => {
  const p = producer(3);
  const failures: string[] = [];
  const writer = createDeadLetterWriter({ producer: p, jobId: 1, topic: 't', policy: FAST_RETRY, log, onFailure: (code) => failures.push(code) });
  assert.equal(await writer.write([letter(5)], new AbortController().signal), true);
  assert.deepEqual(failures, ['DEAD_LETTER_NOT_ENOUGH_REPLICAS', 'DEAD_LETTER_NOT_ENOUGH_REPLICAS', 'DEAD_LETTER_NOT_ENOUGH_REPLICAS']);
  assert.equal(p.sends.length, 1);
});

test('an abort ends the retries and says the letters were not written', async () => {
  const p = producer(Infinity);
  const abort = new AbortController();
  const writer = createDeadLetterWriter({ producer: p, jobId: 1, topic: 't', policy: FAST_RETRY, log, onFailure: () => abort.abort() });
  assert.equal(await writer.write([letter(5)], abort.signal), false);
});
