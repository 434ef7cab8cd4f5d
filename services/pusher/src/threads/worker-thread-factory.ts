// Starts a pusher thread as a real node:worker_threads Worker running pusher-thread-main.
import { Worker } from 'node:worker_threads';
import { isFromThread } from './thread-messages.js';
import type { PusherThreadSetup, ToThread } from './thread-messages.js';
import type { ThreadFactory, ThreadHandle, ThreadListener } from './thread-factory.js';

const THREAD_MAIN = new URL('./pusher-thread-main.js', import.meta.url);

export const startWorkerThread: ThreadFactory = (setup: PusherThreadSetup, listener: ThreadListener): ThreadHandle => {
  // A profile name given to the process (--cpu-prof-name) would make every thread write the same file.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof-name'));
  const worker = new Worker(THREAD_MAIN, { workerData: setup, execArgv, name: `sluice-pusher-t${setup.index}` });
  worker.on('message', (message: unknown) => {
    if (isFromThread(message)) listener.message(message);
  });
  worker.on('error', (error) => listener.error(error));
  worker.once('exit', (code) => listener.exit(code));
  return {
    threadId: worker.threadId,
    post: (message: ToThread) => worker.postMessage(message),
    terminate: async () => {
      await worker.terminate();
    },
  };
};
