// Starts a pusher thread as a real node:worker_threads Worker running pusher-thread-main, with its V8 heap sized for it.
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import { isFromThread } from './thread-messages.js';
import type { PusherThreadSetup, ToThread } from './thread-messages.js';
import type { ThreadFactory, ThreadHandle, ThreadListener } from './thread-factory.js';

const THREAD_MAIN = new URL('./pusher-thread-main.js', import.meta.url);

/**
 * The old generation's cap, MB. Not a budget (a thread holds ~60–80 MB of live objects with ten jobs) but a
 * signal to V8, whose heap may grow further past what survived a full collection the larger the cap: up to 4×
 * under Node's default for workers (4 GB here), less under 1–1.5 GB; 2 GB already made no difference. On the
 * bench (two threads, 200,000 records) 1.5 GB took the peak RSS of one job from ~350 to ~255 MB and of ten jobs
 * from ~580 to ~490 MB with ten jobs' records/s unchanged; 1 GB saved ~30 MB more for ten jobs at ~15% of
 * their records/s. A thread past it ends with ERR_WORKER_OUT_OF_MEMORY and is restarted like any crashed
 * thread; `--thread-heap-mb` sets it.
 */
export const DEFAULT_THREAD_HEAP_MB = 1536;

/**
 * The young generation, MB: 16 instead of Node's 48 for workers. Records live from their fetch to their
 * batch's gzip, far longer than one scavenge either way; a smaller nursery frees the fetch buffers it
 * holds sooner (~30 MB less peak RSS per process on the bench, the same records/s).
 */
export const THREAD_YOUNG_GENERATION_MB = 16;

export function threadResourceLimits(setup: Pick<PusherThreadSetup, 'heapLimitMb'>): ResourceLimits {
  return { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: setup.heapLimitMb ?? DEFAULT_THREAD_HEAP_MB };
}

export const startWorkerThread: ThreadFactory = (setup: PusherThreadSetup, listener: ThreadListener): ThreadHandle => {
  // A profile name given to the process (--cpu-prof-name) would make every thread write the same file.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof-name'));
  const resourceLimits = threadResourceLimits(setup);
  const worker = new Worker(THREAD_MAIN, { workerData: setup, execArgv, name: `sluice-pusher-t${setup.index}`, resourceLimits });
  worker.on('message', (message: unknown) => {
    if (isFromThread(message)) listener.message(message);
  });
  worker.on('error', (error: Error & { code?: string }) => {
    if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') return listener.error(error);
    const cap = resourceLimits.maxOldGenerationSizeMb ?? DEFAULT_THREAD_HEAP_MB;
    listener.error(Object.assign(new Error(`${error.message} (its heap is capped at ${cap} MB; --thread-heap-mb raises the cap)`), { code: error.code }));
  });
  worker.once('exit', (code) => listener.exit(code));
  return {
    threadId: worker.threadId,
    post: (message: ToThread) => worker.postMessage(message),
    terminate: async () => {
      await worker.terminate();
    },
  };
};
