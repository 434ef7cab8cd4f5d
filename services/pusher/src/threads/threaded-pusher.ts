// The pusher on every core: N worker threads, each a full pusher and one member of every job's consumer group; statuses merged here.
import { hostname } from 'node:os';
import type { HealthStore } from '@sluice/job-store';
import type { Logger } from '@sluice/logging';
import { redactText } from '@sluice/logging';
import { createHealthReporter } from '../health-reporter.js';
import type { JobStatus } from '../job-status.js';
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../memory/memory-budget.js';
import { codedError } from '../pusher-errors.js';
import type { PusherEventListener } from '../pusher-events.js';
import type { Pusher } from '../pusher.js';
import { nextRestartDelay } from './restart-delay.js';
import { mergeStatuses, retireStatuses } from './status-merge.js';
import type { ThreadFactory, ThreadHandle } from './thread-factory.js';
import type { FromThread, PusherThreadSettings, PusherThreadSetup } from './thread-messages.js';
import { MAX_PUSHER_THREADS } from './thread-count.js';
import { startWorkerThread } from './worker-thread-factory.js';

export interface ThreadedPusherOptions {
  /** Worker threads, 1 to MAX_PUSHER_THREADS; each is one member of every job's consumer group. */
  threads: number;
  /** What each thread builds its pusher from (cloned into it). */
  settings: PusherThreadSettings;
  logger: Logger;
  /** Events of every thread, as they come. A job's `job-started` comes once per thread. */
  onEvent?: PusherEventListener;
  /** Batch memory of all threads together, in bytes (default 128 MiB); each thread gets an equal share. */
  memoryBudgetBytes?: number;
  /** The cap of each thread's V8 old generation, MB (default DEFAULT_THREAD_HEAP_MB); a thread past it is restarted. */
  threadHeapMb?: number;
  /** Where each job's merged health is published (API mode), under this process's worker id. */
  health?: HealthStore;
  healthIntervalMs?: number;
  /** Names this process in health reports and its threads as `<workerId>-t<n>` (default `<hostname>-<pid>`). */
  workerId?: string;
  /** How often each thread reports its statuses, ms (default 250): how fresh statuses() is. */
  statusIntervalMs?: number;
  /** After a thread is told to stop, how long before it is terminated, ms (default: its stop deadline + 30 s). */
  stopTimeoutMs?: number;
  /** Starts one thread (default: a real worker thread). */
  startThread?: ThreadFactory;
  /** Runs `run` after `delayMs`; returns a cancel (default: an unref'd setTimeout). */
  schedule?: (run: () => void, delayMs: number) => () => void;
  now?: () => number;
}

export type ThreadState = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped';

export interface ThreadInfo {
  index: number;
  workerId: string;
  state: ThreadState;
  /** Times this thread crashed and was started again. */
  restarts: number;
  /** This thread's own statuses (the current incarnation's; after the stop, its final ones). */
  statuses: JobStatus[];
  /** When the current incarnation last reported (or started): a running thread silent for long is wedged. */
  lastReportAtMs: number;
}

export interface ThreadedPusher extends Pusher {
  threads(): ThreadInfo[];
}

interface Slot {
  readonly index: number;
  readonly workerId: string;
  state: ThreadState;
  handle?: ThreadHandle;
  statuses: JobStatus[];
  retired: JobStatus[];
  /** While the slot has no running thread since a crash: when, why, and the jobs the crashed thread held. */
  down?: { atMs: number; message: string; statuses: JobStatus[] };
  startedAtMs: number;
  lastReportAtMs: number;
  restartDelayMs?: number;
  restarts: number;
  cancelRestart?: () => void;
  lastError?: string;
  /** Resolves when the current incarnation has exited. */
  exited: Promise<void>;
  /** Settles once the current incarnation is ready, or failed before it was. */
  ready: Promise<void>;
}

const defaultSchedule = (run: () => void, delayMs: number): (() => void) => {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

export function createThreadedPusher(options: ThreadedPusherOptions): ThreadedPusher {
  const { logger, settings } = options;
  if (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > MAX_PUSHER_THREADS) {
    throw codedError('PUSHER_THREADS_INVALID', `threads must be an integer from 1 to ${MAX_PUSHER_THREADS}, got ${options.threads}`);
  }
  const startThread = options.startThread ?? startWorkerThread;
  const schedule = options.schedule ?? defaultSchedule;
  const now = options.now ?? Date.now;
  const workerId = options.workerId ?? `${hostname()}-${process.pid}`;
  const memoryShare = Math.floor((options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES) / options.threads);
  const statusIntervalMs = options.statusIntervalMs ?? 250;
  const stopTimeoutMs = options.stopTimeoutMs ?? (settings.stopDeadlineMs ?? 10_000) + 30_000;
  let stopping = false;
  /** Until start() has succeeded, a thread that ends is a failed start, not a crash to restart. */
  let running = false;
  let stopCalled: Promise<void> | undefined;
  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));

  const statuses = (): JobStatus[] =>
    mergeStatuses(slots.map((s) => (s.down ? { statuses: s.down.statuses, retired: s.retired, down: s.down } : { statuses: s.statuses, retired: s.retired })));
  const reporter = options.health
    ? createHealthReporter({ health: options.health, statuses, worker: workerId, logger, ...(options.healthIntervalMs !== undefined ? { intervalMs: options.healthIntervalMs } : {}) })
    : undefined;

  const slots: Slot[] = Array.from({ length: options.threads }, (_, index) => ({
    index,
    workerId: `${workerId}-t${index}`,
    state: 'stopped',
    statuses: [],
    retired: [],
    startedAtMs: 0,
    lastReportAtMs: 0,
    restarts: 0,
    exited: Promise.resolve(),
    ready: Promise.resolve(),
  }));

  let finishing: Promise<void> | undefined;
  const settleIfAllStopped = (): void => {
    if (!slots.every((s) => s.state === 'stopped')) return;
    finishing ??= (async () => {
      stopping = true;
      await reporter?.stop();
      logger.info({ threads: slots.length }, 'every pusher thread has stopped');
      markStopped();
    })();
  };

  /** Starts the slot's next incarnation; `ready` rejects if it fails or ends before it is running. */
  function launch(slot: Slot): void {
    const setup: PusherThreadSetup = { index: slot.index, threads: slots.length, workerId: slot.workerId, settings, memoryBudgetBytes: memoryShare, statusIntervalMs, ...(options.threadHeapMb !== undefined ? { heapLimitMb: options.threadHeapMb } : {}) };
    let markReady: () => void = () => undefined;
    let failReady: (error: Error) => void = () => undefined;
    let markExited: () => void = () => undefined;
    let stoppedCleanly = false;
    slot.ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
    slot.ready.catch(() => undefined);
    slot.exited = new Promise<void>((resolve) => (markExited = resolve));
    slot.state = 'starting';
    slot.startedAtMs = now();
    slot.lastReportAtMs = slot.startedAtMs;
    slot.lastError = undefined;
    const handle = startThread(setup, {
      message: (message: FromThread) => {
        slot.lastReportAtMs = now();
        if (message.type === 'status') slot.statuses = message.statuses;
        else if (message.type === 'event') options.onEvent?.(message.event);
        else if (message.type === 'ready') {
          if (slot.state === 'starting') slot.state = 'running';
          slot.down = undefined;
          markReady();
        } else if (message.type === 'failed') {
          slot.lastError = `${message.code}: ${message.message}`;
          void handle.terminate();
        } else if (message.type === 'stopped') {
          // Its pusher has delivered (or abandoned, uncommitted) its open batches: nothing left to lose.
          stoppedCleanly = true;
          slot.statuses = message.statuses;
          void handle.terminate();
        }
      },
      error: (error: unknown) => {
        slot.lastError = redactText((error as Error)?.message ?? String(error));
        logger.error({ err: error, thread: slot.index }, 'uncaught error in a pusher thread');
      },
      exit: (code: number) => {
        markExited();
        failReady(codedError('PUSHER_THREAD_FAILED', `pusher thread ${slot.index} ended (code ${code}) before it was running${slot.lastError ? `: ${slot.lastError}` : ''}`));
        if (stoppedCleanly || stopping || !running) {
          if (!stoppedCleanly && running) logger.warn({ thread: slot.index, code }, 'a pusher thread ended during the stop without reporting it had stopped');
          slot.state = 'stopped';
          settleIfAllStopped();
          return;
        }
        crashed(slot, code);
      },
    });
    slot.handle = handle;
  }

  function crashed(slot: Slot, code: number): void {
    const delay = nextRestartDelay(slot.restartDelayMs, now() - slot.startedAtMs);
    slot.restartDelayMs = delay;
    const message = `PUSHER_THREAD_CRASHED: pusher thread ${slot.index} ended (code ${code})${slot.lastError ? `: ${slot.lastError}` : ''}; restarting it in ${delay} ms, its partitions go to the other members meanwhile`;
    logger.error({ code: 'PUSHER_THREAD_CRASHED', thread: slot.index, exit_code: code, restart_in_ms: delay }, message);
    // Its totals stay counted; its jobs (or, if it crashed before reporting, its predecessor's) show the crash until a new incarnation runs.
    slot.retired = retireStatuses(slot.retired, slot.statuses.map((s) => ({ ...s, consumer_restarts: s.consumer_restarts + 1 })));
    slot.down = { atMs: now(), message, statuses: slot.statuses.length > 0 ? slot.statuses : (slot.down?.statuses ?? []) };
    slot.statuses = [];
    slot.state = 'restarting';
    slot.cancelRestart = schedule(() => {
      slot.cancelRestart = undefined;
      if (stopping) return;
      slot.restarts += 1;
      // Until it is running, the new incarnation shows the old one's jobs as down (`ready` clears `down`).
      launch(slot);
      slot.ready.then(
        () => logger.info({ thread: slot.index, restarts: slot.restarts }, 'pusher thread restarted'),
        () => undefined,
      );
    }, delay);
  }

  async function stopSlot(slot: Slot): Promise<void> {
    if (slot.state === 'restarting') {
      slot.cancelRestart?.();
      slot.state = 'stopped';
      slot.down = undefined;
      return;
    }
    if (slot.state === 'stopped') return;
    slot.state = 'stopping';
    try {
      slot.handle?.post({ sluice: 'pusher-thread', type: 'stop' });
    } catch {
      void slot.handle?.terminate();
    }
    let cancel: () => void = () => undefined;
    await Promise.race([slot.exited, new Promise<void>((resolve) => (cancel = schedule(resolve, stopTimeoutMs)))]);
    cancel();
    if ((slot.state as ThreadState) !== 'stopped') {
      logger.error({ code: 'PUSHER_THREAD_STOP_TIMEOUT', thread: slot.index, timeout_ms: stopTimeoutMs }, 'a pusher thread did not stop in time; terminating it (its open batches stay uncommitted)');
      await slot.handle?.terminate();
      await slot.exited;
    }
  }

  const stop = (): Promise<void> =>
    (stopCalled ??= (async () => {
      stopping = true;
      await Promise.all(slots.map((slot) => stopSlot(slot)));
      settleIfAllStopped();
      await stopped;
    })());

  return {
    stopped,
    statuses,
    stop,
    threads: () => slots.map((s) => ({ index: s.index, workerId: s.workerId, state: s.state, restarts: s.restarts, statuses: s.statuses, lastReportAtMs: s.lastReportAtMs })),
    async start() {
      for (const slot of slots) launch(slot);
      try {
        await Promise.all(slots.map((s) => s.ready));
      } catch (error) {
        await stop();
        throw error;
      }
      running = true;
      reporter?.start();
      logger.info({ threads: slots.length, worker: workerId, memory_budget_bytes_per_thread: memoryShare }, 'pusher threads started');
    },
  };
}
