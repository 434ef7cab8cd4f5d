// Keeps one runner per enabled job, following the job source: starts, stops and restarts runners, one job change at a time.
import type { Logger } from '@sluice/logging';
import type { JobRunner, StopMode } from './job-runner.js';
import { createJobStatus } from './job-status.js';
import type { JobStatus } from './job-status.js';
import type { DesiredJob, JobSource, RefusedJob } from './job-source.js';
import { decideTransition, sameJob } from './job-transition.js';
import type { PusherEventListener } from './pusher-events.js';

/** Builds (not starts) the runner of a job; `carried` is the final status of the runner it replaces. */
export type RunnerFactory = (wanted: DesiredJob, carried: JobStatus | undefined) => JobRunner;

export interface JobSupervisorOptions {
  source: JobSource;
  createRunner: RunnerFactory;
  logger: Logger;
  onEvent?: PusherEventListener;
  /** How often every job is checked against the source, besides on each change it reports (default 1 s). */
  reconcileMs?: number;
  /** How long a stopping job may take to deliver its open batches before they are abandoned (default 10 s). */
  stopDeadlineMs?: number;
  /** First wait before retrying a runner that failed to start; doubles up to 30 s (default 1 s). */
  startRetryMs?: number;
  now?: () => number;
}

export interface JobSupervisor {
  /** Waits for the source, then starts every enabled job; resolves once each has started or failed to. */
  start(): Promise<void>;
  /** Stops following the source and stops every runner, delivering open batches within the deadline. */
  stop(): Promise<void>;
  /** Running jobs, and jobs that stopped by themselves or cannot run, in the order first seen. */
  statuses(): JobStatus[];
  /** The runners running now (for idle detection). */
  runners(): JobRunner[];
  /** Resolves when no job change is in progress (tests). */
  settled(): Promise<void>;
}

interface Slot {
  readonly id: number;
  runner: JobRunner | undefined;
  /** What the runner runs. */
  running: DesiredJob | undefined;
  /**
   * The configuration under which the job disabled itself (its destination kept failing). It stays
   * stopped until the job changes in the source: workers never write to the store, so a user
   * re-enables it by saving the job again (any write of it counts).
   */
  halted: DesiredJob | undefined;
  /** Shown while no runner runs: a halted, refused or not-yet-started job, or the last status at shutdown. */
  shown: JobStatus | undefined;
  /** The status the next runner carries on from. */
  carried: JobStatus | undefined;
  work: Promise<void> | undefined;
  again: boolean;
  startFailures: number;
  retryAtMs: number;
}

const MAX_START_RETRY_MS = 30_000;

export function createJobSupervisor(options: JobSupervisorOptions): JobSupervisor {
  const { source, logger: log } = options;
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  const stopDeadlineMs = options.stopDeadlineMs ?? 10_000;
  const startRetryMs = options.startRetryMs ?? 1_000;
  const slots = new Map<number, Slot>();
  /**
   * The last status of jobs stopped because they were disabled (or deleted): re-enabled, a job goes on
   * from its totals and last_complete instead of reporting it never delivered. Ids are never reused,
   * so a deleted job's entry is just never read again.
   */
  const retired = new Map<number, JobStatus>();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: () => void = () => undefined;
  let stopping: Promise<void> | undefined;

  const slotFor = (id: number): Slot => {
    let slot = slots.get(id);
    if (!slot) {
      slot = { id, runner: undefined, running: undefined, halted: undefined, shown: undefined, carried: undefined, work: undefined, again: false, startFailures: 0, retryAtMs: 0 };
      slots.set(id, slot);
    }
    return slot;
  };

  /** Runs the slot's steps one at a time; a change arriving meanwhile makes it look again when done. */
  function drive(id: number): Promise<void> {
    const slot = slotFor(id);
    if (slot.work) {
      slot.again = true;
      return slot.work;
    }
    slot.work = (async () => {
      do {
        slot.again = false;
        if (stopping) break;
        try {
          await step(slot);
        } catch (error) {
          log.error({ err: error, job_id: id }, 'job change failed; the next check retries it');
        }
      } while (slot.again && !stopping);
    })().finally(() => {
      slot.work = undefined;
      if (!slot.runner && !slot.shown && !stopping) slots.delete(id);
    });
    return slot.work;
  }

  /** One decision, from whatever the source wants now (never a stale snapshot: rapid updates coalesce). */
  async function step(slot: Slot): Promise<void> {
    const wanted = source.wanted(slot.id);
    if (wanted?.kind === 'refused') return refuse(slot, wanted);
    if (!slot.runner) {
      if (!wanted) {
        slot.halted = undefined;
        slot.shown = undefined;
        return;
      }
      if (slot.halted && sameJob(slot.halted, wanted)) return;
      slot.halted = undefined;
      if (now() < slot.retryAtMs) return;
      return startRunner(slot, wanted);
    }
    const transition = decideTransition(slot.running, wanted);
    if (transition.kind === 'stop') {
      log.info({ job_id: slot.id }, 'job disabled or deleted; stopping it');
      await stopRunner(slot, 'deliver');
      if (slot.carried) retired.set(slot.id, slot.carried);
      slot.shown = undefined;
      slot.carried = undefined;
    } else if (transition.kind === 'restart') {
      log.info({ job_id: slot.id, change: transition.change, mode: transition.mode }, 'job changed; restarting it');
      emit({ type: 'job-reconfigured', jobId: slot.id, change: transition.change });
      await stopRunner(slot, transition.mode);
      // The next step starts whatever is wanted by then: changes made while the old runner stopped coalesce.
      slot.again = true;
    }
  }

  async function stopRunner(slot: Slot, mode: StopMode): Promise<void> {
    const runner = slot.runner;
    if (!runner) return;
    await runner.stop(stopDeadlineMs, mode);
    slot.carried = runner.status();
    slot.shown = slot.carried;
    slot.runner = undefined;
    slot.running = undefined;
  }

  async function startRunner(slot: Slot, wanted: DesiredJob): Promise<void> {
    let runner: JobRunner | undefined;
    try {
      slot.carried ??= retired.get(slot.id);
      runner = options.createRunner(wanted, slot.carried);
      slot.runner = runner;
      slot.running = wanted;
      await runner.start();
      retired.delete(slot.id);
      slot.startFailures = 0;
      slot.shown = undefined;
      watchForSelfDisable(slot, runner, wanted);
    } catch (error) {
      slot.startFailures++;
      const waitMs = Math.min(MAX_START_RETRY_MS, startRetryMs * 2 ** (slot.startFailures - 1));
      slot.retryAtMs = now() + waitMs;
      const message = `JOB_START_FAILED: ${(error as Error).message}`;
      log.error({ err: error, job_id: slot.id, retry_in_ms: waitMs }, 'job failed to start; retrying later');
      emit({ type: 'job-refused', jobId: slot.id, message });
      slot.runner = undefined;
      slot.running = undefined;
      await runner?.stop(0, 'abandon').catch(() => undefined);
      const tracker = createJobStatus(slot.id, wanted.job.name, runner?.status().destination ?? '', slot.carried);
      tracker.failed('JOB_START_FAILED', (error as Error).message, now());
      slot.shown = tracker.status;
    }
  }

  function watchForSelfDisable(slot: Slot, runner: JobRunner, wanted: DesiredJob): void {
    void runner.disabled.then(async () => {
      // The runner has stopped itself; stopping it again (the same promise) lets its owner release the destination.
      await runner.stop(0).catch(() => undefined);
      if (slot.runner !== runner) return;
      slot.runner = undefined;
      slot.running = undefined;
      slot.halted = wanted;
      slot.shown = runner.status();
      slot.carried = runner.status();
      log.warn({ job_id: slot.id }, 'job disabled itself; it stays stopped until it is changed in the store');
    });
  }

  async function refuse(slot: Slot, refused: RefusedJob): Promise<void> {
    if (slot.runner) await stopRunner(slot, 'deliver');
    if (slot.shown?.disabled_reason !== `invalid job: ${refused.message}`) {
      log.error({ job_id: slot.id, reason: refused.message }, 'job cannot run on this worker');
      emit({ type: 'job-refused', jobId: slot.id, message: refused.message });
    }
    const tracker = createJobStatus(slot.id, refused.name, slot.shown?.destination ?? '', slot.carried);
    tracker.disabled(`invalid job: ${refused.message}`);
    slot.shown = tracker.status;
  }

  const changesUnderWay = (): Promise<void>[] => [...slots.values()].flatMap((slot) => (slot.work ? [slot.work] : []));

  function reconcile(ids?: readonly number[]): Promise<void[]> {
    const all = ids ?? [...new Set([...slots.keys(), ...source.enabledIds()])];
    return Promise.all(all.map(drive));
  }

  return {
    async start() {
      await source.ready();
      unsubscribe = source.subscribe((ids) => {
        for (const id of ids) {
          // A change to the job is the user's word on it: a halted job runs again, a failed start is retried now.
          const slot = slots.get(id);
          if (slot) {
            slot.halted = undefined;
            slot.retryAtMs = 0;
          }
        }
        void reconcile(ids);
      });
      await reconcile();
      timer = setInterval(() => void reconcile(), options.reconcileMs ?? 1_000);
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        unsubscribe();
        await Promise.all(changesUnderWay());
        await Promise.all(
          [...slots.values()].map(async (slot) => {
            const runner = slot.runner;
            if (!runner) return;
            await runner.stop(stopDeadlineMs, 'deliver').catch((error: unknown) => log.error({ err: error, job_id: slot.id }, 'job did not stop cleanly'));
            slot.shown = runner.status();
            slot.runner = undefined;
          }),
        );
      })();
      return stopping;
    },
    statuses: () => [...slots.values()].flatMap((slot) => (slot.runner ? [slot.runner.status()] : slot.shown ? [slot.shown] : [])),
    runners: () => [...slots.values()].flatMap((slot) => (slot.runner ? [slot.runner] : [])),
    async settled() {
      for (let pending = changesUnderWay(); pending.length > 0; pending = changesUnderWay()) await Promise.all(pending);
    },
  };
}
