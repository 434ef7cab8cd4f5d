// The publisher thread's side: runs a RecordPublisher and answers the gateway's thread over its port.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { DurableReport } from '../durability/write-ahead.js';
import type { RecordPublisher } from '../record-publisher.js';
import type { FromPublisherThread, ThreadReport, ToPublisherThread } from './thread-messages.js';
import { unpackRecords } from './thread-messages.js';

/** How often the thread reports its figures unasked: what `stats()` on the gateway's thread can lag by. */
export const STATS_INTERVAL_MS = 100;

/**
 * Call from a worker module: creates the publisher from the worker's data and serves it until
 * asked to close, then lets the thread end. A publisher that cannot start is reported as `failed`
 * with its error code, and the thread ends.
 */
export async function servePublisherThread(create: (data: unknown, onDurable: DurableReport) => Promise<RecordPublisher>): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('servePublisherThread runs in a worker thread');
  let publisher: RecordPublisher;
  // Sent at once, not with the periodic stats: a request is waiting for each of these.
  const onDurable: DurableReport = (after, upTo, lost) => tell(port, { type: 'durable', after, upTo, lost });
  try {
    publisher = await create(workerData, onDurable);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    tell(port, { type: 'failed', code: typeof code === 'string' ? code : 'PUBLISH_THREAD_FAILED', message: (error as Error).message });
    port.close();
    return;
  }
  let received = 0;
  const report = (): ThreadReport => ({ stats: publisher.stats(), received });
  const timer = setInterval(() => tell(port, { type: 'stats', ...report() }), STATS_INTERVAL_MS);
  port.on('message', (message: ToPublisherThread) => {
    switch (message.type) {
      case 'records':
        for (const record of unpackRecords(message)) publisher.publish(record);
        received += message.ends.length;
        return;
      case 'drained':
        void publisher.drained(message.timeoutMs).then((value) => tell(port, { type: 'reply', id: message.id, value, ...report() }));
        return;
      case 'close':
        clearInterval(timer);
        void publisher.close(message.graceMs !== undefined ? { graceMs: message.graceMs } : undefined).finally(() => {
          tell(port, { type: 'reply', id: message.id, value: null, ...report() });
          // Nothing else keeps the thread alive: it ends once the port is closed.
          port.close();
        });
    }
  });
  tell(port, { type: 'ready', ...report() });
}

function tell(port: MessagePort, message: FromPublisherThread): void {
  port.postMessage(message);
}
