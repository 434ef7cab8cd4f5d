// Kills a random member of a pusher fleet with SIGKILL every few seconds and restarts it, from a seeded random source.
import type { Random } from '@sluice/edge';
import type { PusherFleet } from './pusher-fleet.js';

export interface KillScheduleOptions {
  fleet: PusherFleet;
  random: Random;
  /** Wait between the restart of one victim and the next kill: uniform in [min, max] ms. */
  killEveryMs: readonly [min: number, max: number];
  /** How long a victim stays dead: uniform in [min, max] ms. */
  restartAfterMs: readonly [min: number, max: number];
  /**
   * Before each kill, wait up to this long for a moment when `inWindow()` holds (e.g. an upload stored
   * but not yet acknowledged), so that kills land between delivery and commit; then kill regardless.
   */
  aimMs?: number;
  inWindow?: () => boolean;
  /** The schedule ends (after restarting its current victim) once this aborts. */
  signal: AbortSignal;
}

export interface Kill {
  /** Ms since the schedule started. */
  atMs: number;
  slot: number;
  pid: number;
  /** Whether `inWindow()` held at the moment of the kill. */
  inWindow: boolean;
}

export interface KillScheduleResult {
  kills: Kill[];
  /** Members found dead when the schedule came to them, which it did not kill: crashes. */
  foundDead: { slot: number; atMs: number }[];
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

const between = (random: Random, [min, max]: readonly [number, number]): number => min + random.next() * (max - min);

export async function runKillSchedule(options: KillScheduleOptions): Promise<KillScheduleResult> {
  const { fleet, random, signal } = options;
  const startedAt = Date.now();
  const kills: Kill[] = [];
  const foundDead: { slot: number; atMs: number }[] = [];
  for (;;) {
    await sleep(between(random, options.killEveryMs), signal);
    if (signal.aborted) break;
    // Draw every random number whatever happens next, so one seed always gives the same schedule.
    const slot = random.int(fleet.size);
    const deadFor = between(random, options.restartAfterMs);
    const aimUntil = Date.now() + (options.aimMs ?? 0);
    while (options.inWindow && !options.inWindow() && Date.now() < aimUntil && !signal.aborted) await sleep(25);
    if (!fleet.isRunning(slot)) {
      foundDead.push({ slot, atMs: Date.now() - startedAt });
    } else {
      const inWindow = options.inWindow?.() ?? false;
      const atMs = Date.now() - startedAt;
      const { pid } = await fleet.kill(slot);
      kills.push({ atMs, slot, pid, inWindow });
    }
    await sleep(deadFor);
    fleet.start(slot);
  }
  return { kills, foundDead };
}
