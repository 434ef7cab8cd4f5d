import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_THREAD_HEAP_MB, startWorkerThread, threadResourceLimits } from '../../src/threads/worker-thread-factory.js';
import type { PusherThreadSetup } from '../../src/threads/thread-messages.js';

const setup = (heapLimitMb?: number): PusherThreadSetup => ({
  index: 0,
  threads: 1,
  workerId: 'test-t0',
  statusIntervalMs: 1_000,
  settings: {
    kafka: { brokers: ['127.0.0.1:1'], clientId: 'test', security: {} },
    jobs: { kind: 'file', path: '/nonexistent/jobs.json' },
    destinations: { kind: 'default' },
    logLevel: 'silent',
  },
  ...(heapLimitMb !== undefined ? { heapLimitMb } : {}),
});

void test('a pusher thread\'s heap has a 16 MB young generation and a 1.5 GB old generation unless the setup says otherwise', () => {
  assert.equal(DEFAULT_THREAD_HEAP_MB, 1536);
  assert.deepEqual(threadResourceLimits(setup()), { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 1536 });
  assert.deepEqual(threadResourceLimits(setup(4096)), { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 4096 });
});

void test('a thread that outgrows its heap cap ends with an error that names the cap and the flag that raises it', async () => {
  const errors: Array<Error & { code?: string }> = [];
  const exit = await new Promise<number>((resolve) => {
    // Too small for the thread's own modules: it runs out of heap while loading them.
    startWorkerThread(setup(4), { message: () => undefined, error: (error) => errors.push(error as Error), exit: resolve });
  });
  assert.notEqual(exit, 0);
  assert.equal(errors[0]?.code, 'ERR_WORKER_OUT_OF_MEMORY', errors.map((e) => e.message).join('; '));
  assert.match(errors[0]?.message ?? '', /its heap is capped at 4 MB; --thread-heap-mb raises the cap/);
});
