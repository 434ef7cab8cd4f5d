import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPusherProbes } from '../../src/metrics/pusher-probes.js';
import type { ThreadInfo } from '../../src/threads/threaded-pusher.js';

const thread = (index: number, state: ThreadInfo['state'], lastReportAtMs: number): ThreadInfo => ({ index, workerId: `w-t${index}`, state, restarts: 0, statuses: [], lastReportAtMs });

void test('live unless a running thread has been silent for 30 s; a thread being restarted is not a reason to restart the process', async () => {
  let threads = [thread(0, 'running', 1_000), thread(1, 'restarting', 0)];
  const probes = createPusherProbes({ running: () => true, kafkaPing: () => Promise.resolve(), threads: () => threads, now: () => 31_000 });
  assert.deepEqual(await probes.live(), { ok: true, detail: {} });
  threads = [thread(0, 'running', 500), thread(1, 'running', 30_500)];
  assert.deepEqual(await probes.live(), { ok: false, detail: { code: 'PUSHER_THREAD_WEDGED', wedged: [{ thread: 0, silent_seconds: 31 }] } });
});

void test('ready once the pusher runs and Kafka answers, and says which is missing', async () => {
  let running = false;
  let kafka: () => Promise<void> = () => Promise.resolve();
  const probes = createPusherProbes({ running: () => running, kafkaPing: () => kafka() });
  assert.equal((await probes.ready()).detail['code'], 'PUSHER_NOT_RUNNING');
  running = true;
  assert.deepEqual(await probes.ready(), { ok: true, detail: {} });
  kafka = () => Promise.reject(new Error('Kafka did not answer within 5000 ms'));
  assert.deepEqual(await probes.ready(), { ok: false, detail: { code: 'KAFKA_UNREACHABLE', message: 'Kafka did not answer within 5000 ms' } });
});
