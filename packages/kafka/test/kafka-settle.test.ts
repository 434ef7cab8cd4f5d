import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRetriableKafkaError, untilKafkaSettles } from '../src/kafka-settle.js';

const notLeader = (): Error => Object.assign(new Error('This server is not the leader for that topic-partition'), { retriable: true, type: 'NOT_LEADER_FOR_PARTITION' });

test('a step refused while a new topic elects its leader is tried again until it answers', async () => {
  let clock = 0;
  let calls = 0;
  const slept: number[] = [];
  const answer = await untilKafkaSettles(
    () => (++calls < 4 ? Promise.reject(notLeader()) : Promise.resolve('ends')),
    { now: () => clock, sleep: (ms) => ((clock += ms), slept.push(ms), Promise.resolve()) },
  );
  assert.equal(answer, 'ends');
  assert.deepEqual(slept, [100, 200, 400]);
});

test('an error that is not retriable is thrown at once, and a refusal that lasts is thrown once the time is up', async () => {
  let calls = 0;
  await assert.rejects(untilKafkaSettles(() => (calls++, Promise.reject(new Error('topic authorization failed')))), /authorization/);
  assert.equal(calls, 1);
  let clock = 0;
  await assert.rejects(
    untilKafkaSettles(() => Promise.reject(notLeader()), { settleMs: 1_000, now: () => clock, sleep: (ms) => ((clock += ms), Promise.resolve()) }),
    /not the leader/,
  );
  assert.ok(clock <= 1_000);
});

test('kafkajs\'s own retries exhausted still count as retriable through the error they wrap', () => {
  const exhausted = Object.assign(new Error('This server is not the leader for that topic-partition'), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, originalError: notLeader() });
  assert.equal(isRetriableKafkaError(exhausted), true);
  assert.equal(isRetriableKafkaError(new Error('plain')), false);
  assert.equal(isRetriableKafkaError(undefined), false);
});
