// How many pusher threads: validated purely, naming the flag or variable it came from and the bad value.
import { availableParallelism } from 'node:os';

/** More threads than this is a typo, not a machine: each thread is a full Kafka client and a group member per job. */
export const MAX_PUSHER_THREADS = 64;

/** One thread per core (os.availableParallelism), within 1..MAX_PUSHER_THREADS. */
export function defaultThreadCount(cores: () => number = availableParallelism): number {
  return Math.min(MAX_PUSHER_THREADS, Math.max(1, cores()));
}

export type ThreadCountResult = { ok: true; threads: number } | { ok: false; code: 'PUSHER_THREADS_INVALID'; message: string };

/**
 * `text` as a thread count from 1 to MAX_PUSHER_THREADS; `name` is where it came from (`--threads`,
 * `SLUICE_BENCH_PUSHER_THREADS`). Absent or empty text means the default: one thread per core.
 */
export function parseThreadCount(text: string | undefined, name: string, cores: () => number = availableParallelism): ThreadCountResult {
  if (text === undefined || text.trim() === '') return { ok: true, threads: defaultThreadCount(cores) };
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(value) || value < 1 || value > MAX_PUSHER_THREADS) {
    return { ok: false, code: 'PUSHER_THREADS_INVALID', message: `${name} must be an integer from 1 to ${MAX_PUSHER_THREADS} (e.g. 4), got "${text}"` };
  }
  return { ok: true, threads: value };
}
