import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@sluice/logging';
import { createJobStatus } from '../../src/job-status.js';
import type { JobStatus } from '../../src/job-status.js';
import type { PusherEvent } from '../../src/pusher-events.js';
import { createThreadedPusher } from '../../src/threads/threaded-pusher.js';
import { startStatusServer } from '../../src/status-server.js';
import type { ThreadFactory, ThreadListener } from '../../src/threads/thread-factory.js';
import type { FromThread, PusherThreadSettings, PusherThreadSetup, ToThread } from '../../src/threads/thread-messages.js';

const logger = createLogger({ name: 'threaded-pusher-test', level: 'silent' });
const settings: PusherThreadSettings = { kafka: { brokers: ['127.0.0.1:9092'], clientId: 't', security: {} }, jobs: { kind: 'file', path: '/jobs.json' }, destinations: { kind: 'default' } };

/** A message from a thread, without the envelope mark. */
type Said = FromThread extends infer M ? (M extends FromThread ? Omit<M, 'sluice'> : never) : never;

/** One started fake thread: what it was given and told, and its side of the conversation. */
interface FakeThread {
  setup: PusherThreadSetup;
  posted: ToThread[];
  terminated: boolean;
  say(message: Said): void;
  crash(code?: number): void;
}

function fakeThreads(): { factory: ThreadFactory; started: FakeThread[] } {
  const started: FakeThread[] = [];
  const factory: ThreadFactory = (setup, listener: ThreadListener) => {
    let exited = false;
    const exit = (code: number): void => {
      if (exited) return;
      exited = true;
      listener.exit(code);
    };
    const thread: FakeThread = {
      setup,
      posted: [],
      terminated: false,
      say: (message) => listener.message({ sluice: 'pusher-thread', ...message }),
      crash(code = 1) {
        listener.error(Object.assign(new Error('boom in a batch'), { code: 'TEST_BOOM' }));
        exit(code);
      },
    };
    started.push(thread);
    return {
      threadId: started.length,
      post(message) {
        thread.posted.push(message);
        // A fake pusher stops at once and reports its final figures, as pusher-thread-main does.
        if (message.type === 'stop') queueMicrotask(() => thread.say({ type: 'stopped', statuses: [] }));
      },
      terminate() {
        thread.terminated = true;
        queueMicrotask(() => exit(0));
        return Promise.resolve();
      },
    };
  };
  return { factory, started };
}

/** A schedule that runs nothing by itself: the test fires what is due. */
function manualSchedule(): { schedule: (run: () => void, delayMs: number) => () => void; pending: { run: () => void; delayMs: number; cancelled: boolean }[] } {
  const pending: { run: () => void; delayMs: number; cancelled: boolean }[] = [];
  return {
    pending,
    schedule(run, delayMs) {
      const entry = { run, delayMs, cancelled: false };
      pending.push(entry);
      return () => (entry.cancelled = true);
    },
  };
}

function jobStatus(id: number, delivered: number): JobStatus {
  const status = structuredClone(createJobStatus(id, `job-${id}`, 's3://b/p').status);
  status.records_delivered = delivered;
  return status;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function started(threads: number, extra: { now?: () => number } = {}) {
  const fakes = fakeThreads();
  const clock = manualSchedule();
  const events: PusherEvent[] = [];
  const pusher = createThreadedPusher({ threads, settings, logger, startThread: fakes.factory, schedule: clock.schedule, memoryBudgetBytes: 90, workerId: 'host-7', onEvent: (e) => events.push(e), ...extra });
  const starting = pusher.start();
  for (const thread of fakes.started) thread.say({ type: 'ready' });
  await starting;
  return { pusher, fakes, clock, events };
}

void test('each thread gets its own worker id, an equal share of the memory budget and the same settings', async () => {
  const { pusher, fakes } = await started(3);
  assert.deepEqual(fakes.started.map((t) => t.setup.workerId), ['host-7-t0', 'host-7-t1', 'host-7-t2']);
  assert.deepEqual(fakes.started.map((t) => t.setup.memoryBudgetBytes), [30, 30, 30]);
  assert.ok(fakes.started.every((t) => t.setup.settings === settings));
  assert.deepEqual(pusher.threads().map((t) => t.state), ['running', 'running', 'running']);
  await pusher.stop();
});

void test('statuses are the threads\' reports merged, and their events reach onEvent', async () => {
  const { pusher, fakes, events } = await started(2);
  fakes.started[0]?.say({ type: 'status', statuses: [jobStatus(1, 10)] });
  fakes.started[1]?.say({ type: 'status', statuses: [jobStatus(1, 5)] });
  fakes.started[1]?.say({ type: 'event', event: { type: 'job-stopped', jobId: 1 } });
  assert.equal(pusher.statuses()[0]?.records_delivered, 15);
  assert.deepEqual(pusher.threads().map((t) => t.statuses[0]?.records_delivered), [10, 5]);
  assert.deepEqual(events, [{ type: 'job-stopped', jobId: 1 }]);
  await pusher.stop();
});

void test('a crashed thread shows its jobs as failing at once and is restarted after a backoff that grows while it keeps crashing', async () => {
  let nowMs = 1_000_000;
  const { pusher, fakes, clock } = await started(2, { now: () => nowMs });
  fakes.started[1]?.say({ type: 'status', statuses: [jobStatus(1, 7)] });
  fakes.started[1]?.crash(1);
  const [during] = pusher.statuses();
  assert.match(during?.error_message ?? '', /^PUSHER_THREAD_CRASHED: pusher thread 1 ended \(code 1\): boom in a batch; restarting it in 500 ms/);
  assert.equal(during?.records_delivered, 7, 'what the crashed thread delivered stays counted');
  assert.equal(during?.consumer_restarts, 1);
  assert.equal(pusher.threads()[1]?.state, 'restarting');
  assert.deepEqual(clock.pending.map((p) => p.delayMs), [500]);

  clock.pending[0]?.run();
  assert.equal(fakes.started.length, 3, 'a new thread took the slot');
  assert.equal(fakes.started[2]?.setup.workerId, 'host-7-t1');
  assert.match(pusher.statuses()[0]?.error_message ?? '', /PUSHER_THREAD_CRASHED/, 'still down until the new thread runs');
  // It crashes again soon after starting: the next wait is longer.
  nowMs += 100;
  fakes.started[2]?.crash(1);
  assert.deepEqual(clock.pending.map((p) => p.delayMs), [500, 1_000]);
  clock.pending[1]?.run();
  fakes.started[3]?.say({ type: 'status', statuses: [jobStatus(1, 1)] });
  fakes.started[3]?.say({ type: 'ready' });
  const [after] = pusher.statuses();
  assert.equal(after?.error_message, null, 'running again: the crash no longer shows');
  assert.equal(after?.records_delivered, 8);
  assert.equal(pusher.threads()[1]?.restarts, 2);
  assert.equal(pusher.threads()[1]?.state, 'running');
  await pusher.stop();
});

void test('the status server serves the merged statuses, and /health/jobs fails while a thread is down', async () => {
  const { pusher, fakes, clock } = await started(2);
  const server = await startStatusServer({ port: 0, statuses: () => pusher.statuses() });
  try {
    fakes.started[0]?.say({ type: 'status', statuses: [jobStatus(1, 2)] });
    fakes.started[1]?.say({ type: 'status', statuses: [jobStatus(1, 3)] });
    const body = (await (await fetch(`${server.url}/status`)).json()) as { jobs: JobStatus[] };
    assert.deepEqual(body.jobs.map((j) => [j.id, j.records_delivered]), [[1, 5]]);
    assert.equal((await fetch(`${server.url}/health/jobs`)).status, 200);
    fakes.started[0]?.crash(134);
    const down = await fetch(`${server.url}/health/jobs`);
    assert.equal(down.status, 503);
    assert.match(JSON.stringify(await down.json()), /PUSHER_THREAD_CRASHED: pusher thread 0 ended \(code 134\)/);
    clock.pending[0]?.run();
    fakes.started[2]?.say({ type: 'status', statuses: [jobStatus(1, 0)] });
    fakes.started[2]?.say({ type: 'ready' });
    assert.equal((await fetch(`${server.url}/health/jobs`)).status, 200);
  } finally {
    await server.close();
    await pusher.stop();
  }
});

void test('stop() tells every thread to stop, cancels a pending restart, and resolves once all have ended; nothing restarts after', async () => {
  const { pusher, fakes, clock } = await started(3);
  fakes.started[2]?.crash(1);
  await pusher.stop();
  assert.ok(clock.pending[0]?.cancelled, 'the restart was cancelled');
  assert.deepEqual(fakes.started.slice(0, 2).map((t) => t.posted), [[{ sluice: 'pusher-thread', type: 'stop' }], [{ sluice: 'pusher-thread', type: 'stop' }]]);
  assert.deepEqual(pusher.threads().map((t) => t.state), ['stopped', 'stopped', 'stopped']);
  await pusher.stopped;
  assert.equal(fakes.started.length, 3);
});

void test('a thread that stops by itself (idle) is not restarted, and the pusher has stopped once every thread has', async () => {
  const { pusher, fakes, clock } = await started(2);
  let done = false;
  void pusher.stopped.then(() => (done = true));
  fakes.started[0]?.say({ type: 'stopped', statuses: [jobStatus(1, 3)] });
  await tick();
  assert.equal(pusher.threads()[0]?.state, 'stopped');
  assert.equal(done, false);
  fakes.started[1]?.say({ type: 'stopped', statuses: [jobStatus(1, 4)] });
  await tick();
  await tick();
  assert.equal(done, true);
  assert.equal(clock.pending.length, 0);
  assert.equal(pusher.statuses()[0]?.records_delivered, 7, 'the final figures stay');
});

void test('a thread that cannot start fails start() with its code and message, and the others are stopped', async () => {
  const fakes = fakeThreads();
  const pusher = createThreadedPusher({ threads: 2, settings, logger, startThread: fakes.factory, schedule: manualSchedule().schedule });
  const starting = pusher.start();
  fakes.started[0]?.say({ type: 'ready' });
  fakes.started[1]?.say({ type: 'failed', code: 'KAFKA_SECURITY_FILE', message: 'cannot read /ca.pem' });
  await assert.rejects(starting, (error: Error & { code?: string }) => error.code === 'PUSHER_THREAD_FAILED' && /pusher thread 1 .*KAFKA_SECURITY_FILE: cannot read \/ca.pem/.test(error.message));
  assert.deepEqual(fakes.started[0]?.posted, [{ sluice: 'pusher-thread', type: 'stop' }]);
  await pusher.stopped;
});

void test('a thread count outside 1..64 is a programmer error with a code', () => {
  assert.throws(() => createThreadedPusher({ threads: 0, settings, logger }), { code: 'PUSHER_THREADS_INVALID' });
  assert.throws(() => createThreadedPusher({ threads: 65, settings, logger }), { code: 'PUSHER_THREADS_INVALID' });
});
