// The entry point of one pusher thread: builds its pusher from workerData, reports to the main thread, stops when told.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@sluice/logging';
import type { LoggerOptions } from '@sluice/logging';
import { errorCode } from '../pusher-errors.js';
import { buildThreadPusher } from './thread-pusher.js';
import { isToThread } from './thread-messages.js';
import type { FromThread, PusherThreadSetup } from './thread-messages.js';

if (isMainThread || !parentPort) throw new Error('pusher-thread-main runs only as a worker thread started by createThreadedPusher');
const port = parentPort;
const setup = workerData as PusherThreadSetup;
const send = (message: FromThread): void => port.postMessage(message);
const logger = createLogger({ name: 'pusher', ...(setup.settings.logLevel !== undefined ? { level: setup.settings.logLevel as LoggerOptions['level'] } : {}) }).child({ thread: setup.index, worker: setup.workerId });

try {
  const built = await buildThreadPusher(setup, logger, (event) => send({ sluice: 'pusher-thread', type: 'event', event }));
  const { pusher } = built;
  const report = setInterval(() => send({ sluice: 'pusher-thread', type: 'status', statuses: pusher.statuses() }), setup.statusIntervalMs);
  port.on('message', (message: unknown) => {
    if (isToThread(message) && message.type === 'stop') void pusher.stop();
  });
  // Stopped for whatever reason (told to, idle): the final figures go out, then the thread ends.
  void pusher.stopped.then(async () => {
    clearInterval(report);
    await built.close().catch((error: unknown) => logger.warn({ err: error }, 'job store did not close'));
    send({ sluice: 'pusher-thread', type: 'stopped', statuses: pusher.statuses() });
    port.close();
  });
  await pusher.start();
  send({ sluice: 'pusher-thread', type: 'status', statuses: pusher.statuses() });
  send({ sluice: 'pusher-thread', type: 'ready' });
} catch (error) {
  logger.error({ err: error }, 'pusher thread could not start');
  send({ sluice: 'pusher-thread', type: 'failed', code: errorCode(error, 'PUSHER_THREAD_START'), message: (error as Error).message });
  port.close();
}
