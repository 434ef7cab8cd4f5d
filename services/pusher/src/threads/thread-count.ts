// How many pusher threads: validated purely, naming the flag or variable it came from and the bad value.
import { availableParallelism } from 'node:os';

/** More threads than this is a typo, not a machine: each thread is a full Kafka client and a group member per job. */
export const MAX_PUSHER_THREADS = 64;

/** One thread per core (os.availableParallelism), within 1..MAX_PUSHER_THREADS. */
export function defaultThreadCount(cores: () => number = availableParallelism): number {
  return Math.min(MAX_PUSHER_THREADS, Math.max(1, cores()));
}

/** Below this a thread cannot hold its modules and a fetch; above it the cap no longer shapes the heap's growth. */
export const MIN_THREAD_HEAP_MB = 128;
export const MAX_THREAD_HEAP_MB = 65_536;

export type ThreadHeapResult = { ok: true; heapMb: number | undefined } | { ok: false; code: 'PUSHER_THREAD_HEAP_INVALID'; message: string };

/**
 * `text` as each thread's old-generation cap, a whole number of MB from MIN_THREAD_HEAP_MB to MAX_THREAD_HEAP_MB;
 * `name` is where it came from (`--thread-heap-mb`, `SLUICE_BENCH_THREAD_HEAP_MB`). Absent: undefined, the default.
 */
export function parseThreadHeapMb(text: string | undefined, name: string): ThreadHeapResult {
  if (text === undefined) return { ok: true, heapMb: undefined };
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < MIN_THREAD_HEAP_MB || value > MAX_THREAD_HEAP_MB) {
    return { ok: false, code: 'PUSHER_THREAD_HEAP_INVALID', message: `${name} must be a whole number of MB from ${MIN_THREAD_HEAP_MB} to ${MAX_THREAD_HEAP_MB}, got "${text}"` };
  }
  return { ok: true, heapMb: value };
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
