// A gateway worker process (forked by edge-primary.ts): loads the config, runs the gateway on its own spool, answers the primary.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger } from '@sluice/logging';
import type { LoggerOptions } from '@sluice/logging';
import { loadEdgeConfig } from '../config/load-edge-config.js';
import { startEdge } from '../start-edge.js';
import type { RunningEdge } from '../start-edge.js';
import { createSharedLoginTracker } from './shared-login-tracker.js';
import { isToWorker, WORKER_ENV } from './worker-messages.js';
import type { FromWorker, ToWorker, WorkerReport, WorkerSetup } from './worker-messages.js';

const send = (message: FromWorker): void => {
  if (process.connected) process.send?.(message);
};
const setup = JSON.parse(process.env[WORKER_ENV] ?? '{}') as WorkerSetup;
const logger = createLogger({ name: 'edge', ...(setup.logLevel !== undefined ? { level: setup.logLevel as LoggerOptions['level'] } : {}) }).child({ worker: setup.index });
const logins = createSharedLoginTracker((id, tokenId, expiresAtMs) => send({ sluice: 'edge', type: 'login?', id, tokenId, expiresAtMs }));
const loop = setup.monitorLoop === true ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
loop?.enable();

let edge: RunningEdge | undefined;
let stopping: Promise<void> | undefined;

/** Stops like the single-process gateway (requests finish, unacknowledged records go to the spool), tells the primary, exits. */
function stop(): Promise<void> {
  stopping ??= (async () => {
    if (edge !== undefined) {
      await edge.stop();
      send({ sluice: 'edge', type: 'stopped', index: setup.index, stats: edge.publisher.stats() });
    }
    process.exitCode = 0;
    if (process.connected) process.disconnect();
  })();
  return stopping;
}

function report(running: RunningEdge): WorkerReport {
  const stall = (nanos: number): number => Math.max(0, nanos / 1e6 - 1);
  const delay = loop === undefined ? undefined : { p99Ms: stall(loop.percentile(99)), maxMs: stall(loop.max) };
  loop?.reset();
  return { index: setup.index, pid: process.pid, stats: running.publisher.stats(), cpu: process.cpuUsage(), peakRssMb: process.resourceUsage().maxRSS / 1024, ...(delay !== undefined ? { loop: delay } : {}) };
}

async function answer(running: RunningEdge, message: Extract<ToWorker, { type: 'ask' }>): Promise<unknown> {
  switch (message.question) {
    case 'metrics':
      return running.gateway.metrics.registry.getMetricsAsJSON();
    case 'report':
      return report(running);
    case 'drained':
      return running.publisher.drained(message.timeoutMs ?? 10_000);
  }
}

process.on('message', (message: unknown) => {
  if (!isToWorker(message)) return;
  if (message.type === 'stop') return void stop();
  if (message.type === 'login') return logins.answer(message.id, message.first);
  const running = edge;
  if (running === undefined) return send({ sluice: 'edge', type: 'answer', id: message.id, error: 'not started' });
  answer(running, message).then(
    (value) => send({ sluice: 'edge', type: 'answer', id: message.id, value }),
    (error: unknown) => send({ sluice: 'edge', type: 'answer', id: message.id, error: (error as Error).message }),
  );
});
// SIGINT from a terminal reaches every process of the group: each worker stops itself, as the primary would ask.
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

try {
  let config = await loadEdgeConfig(setup.configFile);
  // The primary serves /metrics and /healthz for all workers.
  config = { ...config, admin: undefined, ...(setup.port !== undefined ? { listen: { ...config.listen, port: setup.port } } : {}) };
  edge = await startEdge({ config, logger, worker: { index: setup.index, count: setup.count }, loginTracker: logins });
  send({ sluice: 'edge', type: 'ready', index: setup.index, address: edge.address.address, port: edge.address.port });
  // A stop asked for while starting found no gateway to stop: stop this one now.
  if (stopping !== undefined) {
    await edge.stop();
    send({ sluice: 'edge', type: 'stopped', index: setup.index, stats: edge.publisher.stats() });
  }
} catch (error) {
  const code = (error as { code?: unknown }).code;
  send({ sluice: 'edge', type: 'failed', index: setup.index, code: typeof code === 'string' ? code : 'EDGE_WORKER_FAILED', message: (error as Error).message });
  logger.error({ err: error }, 'the gateway worker could not start');
  process.exitCode = 1;
  if (process.connected) process.disconnect();
}
