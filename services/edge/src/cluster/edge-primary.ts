// The gateway on several cores: a primary that forks listener workers sharing the port, restarts those that die, and serves their totals.
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from '@sluice/logging';
import type { EdgeConfig } from '../config/edge-config.js';
import { startAdminServerFor } from '../gateway/admin-server.js';
import type { AdminServer } from '../gateway/admin-server.js';
import type { PublisherStats } from '../publish/publisher-stats.js';
import { createLoginTracker } from '../records/login-tracker.js';
import { EdgeClusterError } from './cluster-error.js';
import { nextRestartDelay } from './restart-delay.js';
import { sumPublisherStats } from './stats-sum.js';
import { createWorkerQuestions } from './worker-questions.js';
import { isFromWorker, WORKER_ENV } from './worker-messages.js';
import type { FromWorker, ToWorker, WorkerReport, WorkerSetup } from './worker-messages.js';

export interface EdgeClusterOptions {
  /** The file the workers load (the primary has validated it already: `config`). */
  readonly configFile: string;
  readonly config: EdgeConfig;
  /** Listener processes; each has its own publisher thread and spool (`worker-<n>` under spool.dir). */
  readonly workers: number;
  /** `--port`, overriding the config's. */
  readonly port?: number;
  readonly logger: Logger;
  /** Lines for people (the CLI's stderr): workers started, died, restarted. */
  readonly say?: (line: string) => void;
  /** Workers report event loop delays (the bench's). */
  readonly monitorLoop?: boolean;
  /** Longest wait for the workers to stop before they are killed, ms (default 30,000). */
  readonly stopTimeoutMs?: number;
}

export interface EdgeCluster {
  /** Where the workers listen (they share the port). */
  readonly address: AddressInfo;
  readonly admin: AdminServer | undefined;
  /** The running workers, by index: the pids a test may kill. */
  workers(): { index: number; pid: number }[];
  /** Every live worker's figures. */
  reports(): Promise<WorkerReport[]>;
  /** The publishers' figures added up over the live workers. */
  stats(): Promise<PublisherStats | undefined>;
  /** True once every worker's publisher has Kafka's acknowledgement for everything it took. */
  drained(timeoutMs: number): Promise<boolean>;
  /** Stops every worker gracefully (each spools what Kafka has not acknowledged); resolves to their last figures added up. */
  stop(): Promise<PublisherStats | undefined>;
}

/** A worker's registry as `getMetricsAsJSON()` gives it. */
type WorkerMetrics = Parameters<typeof AggregatorRegistry.aggregate>[0][number];

const WORKER_MAIN = fileURLToPath(new URL('./edge-worker-main.js', import.meta.url));
const QUESTION_TIMEOUT_MS = 5_000;

interface Slot {
  readonly index: number;
  worker: Worker;
  startedAt: number;
  ready: boolean;
  restartDelayMs?: number;
}

export async function startEdgeCluster(options: EdgeClusterOptions): Promise<EdgeCluster> {
  const { logger } = options;
  const say = options.say ?? ((): void => undefined);
  const questions = createWorkerQuestions();
  // One memory of tokens for all workers: a token logs in once, whichever worker sees it first.
  const logins = createLoginTracker();
  const slots: Slot[] = [];
  const lastStats = new Map<number, PublisherStats>();
  let stopping = false;
  // A profile name given to the primary (--cpu-prof-name) would make every worker write the same file: workers use the default, named by pid.
  cluster.setupPrimary({ exec: WORKER_MAIN, args: [], execArgv: process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof-name')) });

  const fork = (index: number): Worker => {
    const setup: WorkerSetup = { index, count: options.workers, configFile: options.configFile, logLevel: logger.level, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.monitorLoop === true ? { monitorLoop: true } : {}) };
    const worker = cluster.fork({ [WORKER_ENV]: JSON.stringify(setup) });
    worker.on('message', (message: unknown) => onMessage(worker, message));
    return worker;
  };

  function onMessage(worker: Worker, message: unknown): void {
    if (!isFromWorker(message)) return;
    const m: FromWorker = message;
    if (m.type === 'login?') {
      const reply: ToWorker = { sluice: 'edge', type: 'login', id: m.id, first: logins.firstSeen(m.tokenId, m.expiresAtMs) };
      if (worker.isConnected()) worker.send(reply);
    } else if (m.type === 'stopped') lastStats.set(m.index, m.stats);
  }

  const live = (): Worker[] => slots.filter((s) => s.ready).map((s) => s.worker);

  function watch(slot: Slot): void {
    slot.worker.once('exit', (code, signal) => {
      if (stopping || !slot.ready) return;
      slot.ready = false;
      const ranMs = Date.now() - slot.startedAt;
      const delay = nextRestartDelay(slot.restartDelayMs, ranMs);
      slot.restartDelayMs = delay;
      logger.error({ worker: slot.index, pid: slot.worker.process.pid, code, signal, restartInMs: delay }, 'a gateway worker died; starting a new one on its spool');
      say(`edge: worker ${slot.index} (pid ${slot.worker.process.pid}) died (${signal ?? `exit ${code}`}); restarting it in ${delay} ms`);
      setTimeout(() => restart(slot), delay).unref();
    });
  }

  function restart(slot: Slot): void {
    if (stopping) return;
    slot.worker = fork(slot.index);
    slot.startedAt = Date.now();
    whenReady(slot.worker).then(
      () => {
        if (stopping) return;
        slot.ready = true;
        watch(slot);
        say(`edge: worker ${slot.index} restarted (pid ${slot.worker.process.pid})`);
      },
      (error: unknown) => {
        logger.error({ worker: slot.index, err: error }, 'a gateway worker could not be restarted; trying again');
        slot.restartDelayMs = nextRestartDelay(slot.restartDelayMs, 0);
        setTimeout(() => restart(slot), slot.restartDelayMs).unref();
      },
    );
  }

  const started = Array.from({ length: options.workers }, (_, index) => {
    const slot: Slot = { index, worker: fork(index), startedAt: Date.now(), ready: false };
    slots.push(slot);
    return whenReady(slot.worker).then((ready) => {
      slot.ready = true;
      watch(slot);
      say(`edge: worker ${index} (pid ${slot.worker.process.pid}) listening`);
      return ready;
    });
  });
  let first: Extract<FromWorker, { type: 'ready' }>;
  try {
    [first] = (await Promise.all(started)) as [Extract<FromWorker, { type: 'ready' }>];
  } catch (error) {
    stopping = true;
    await stopWorkers(slots.map((s) => s.worker), options.stopTimeoutMs);
    throw error;
  }

  const reports = (): Promise<WorkerReport[]> => questions.askAll<WorkerReport>(live(), 'report', QUESTION_TIMEOUT_MS);
  const stats = async (): Promise<PublisherStats | undefined> => sumPublisherStats((await reports()).map((r) => r.stats));
  let admin: AdminServer | undefined;
  if (options.config.admin !== undefined) {
    admin = await startAdminServerFor(options.config.admin.host, options.config.admin.port, {
      contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE,
      // Counters and sizes are summed over the workers; kafka_healthy is their minimum (edge-metrics.ts).
      metrics: async () => AggregatorRegistry.aggregate(await questions.askAll<WorkerMetrics>(live(), 'metrics', QUESTION_TIMEOUT_MS)).metrics(),
      stats: async () => (await stats()) ?? emptyStats(),
    });
  }

  let stopped: Promise<PublisherStats | undefined> | undefined;
  return {
    address: { address: first.address, port: first.port, family: first.address.includes(':') ? 'IPv6' : 'IPv4' },
    admin,
    workers: () => slots.filter((s) => s.ready).map((s) => ({ index: s.index, pid: s.worker.process.pid ?? 0 })),
    reports,
    stats,
    async drained(timeoutMs) {
      const workers = live();
      const answers = await questions.askAll<boolean>(workers, 'drained', timeoutMs + QUESTION_TIMEOUT_MS, { timeoutMs });
      return answers.length === workers.length && answers.every(Boolean);
    },
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        await stopWorkers(slots.map((s) => s.worker), options.stopTimeoutMs);
        await admin?.close();
        return sumPublisherStats([...lastStats.values()]);
      })()),
  };
}

/** Resolves with the worker's `ready` message; rejects with its `failed` one, or if it exits first. */
function whenReady(worker: Worker): Promise<Extract<FromWorker, { type: 'ready' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (!isFromWorker(message)) return;
      if (message.type === 'ready') {
        worker.off('exit', onExit);
        worker.off('message', onMessage);
        resolve(message);
      } else if (message.type === 'failed') {
        worker.off('message', onMessage);
        reject(new EdgeClusterError('EDGE_WORKER_FAILED', `gateway worker ${message.index} could not start: ${message.message}`, { cause: message.code }));
      }
    };
    const onExit = (code: number, signal: string | null): void => {
      worker.off('message', onMessage);
      reject(new EdgeClusterError('EDGE_WORKER_FAILED', `a gateway worker exited (${signal ?? `code ${code}`}) before it listened`));
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
  });
}

/** Asks each worker to stop (it finishes requests and spools); kills those still running after `timeoutMs`. */
async function stopWorkers(workers: readonly Worker[], timeoutMs = 30_000): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.process.exitCode !== null || worker.process.signalCode !== null) return resolve();
          const timer = setTimeout(() => worker.process.kill('SIGKILL'), timeoutMs);
          worker.process.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          const stop: ToWorker = { sluice: 'edge', type: 'stop' };
          try {
            worker.send(stop);
          } catch {
            worker.process.kill('SIGTERM');
          }
        }),
    ),
  );
}

function emptyStats(): PublisherStats {
  return { published: 0, spooled: 0, replayed: 0, dropped: 0, queued: 0, spoolBytes: 0, spoolRecords: 0, mode: 'direct', kafkaHealthy: false, spoolDamage: { corruptRegions: 0, corruptBytes: 0, truncatedBytes: 0, writeFailedRecords: 0, damagedRecords: 0 } };
}
