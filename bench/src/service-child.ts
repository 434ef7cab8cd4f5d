// A long-lived bench child (the origin, the gateway) that answers the bench's questions over Node's IPC channel.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** The bench's handle on a running child. */
export interface ServiceChild<Ready> {
  /** What the child said once it was serving (its address, say). */
  readonly ready: Ready;
  /** Sends one question to the child and resolves to its answer; a child-side failure rejects with its message. */
  ask<T>(question: string, args?: Record<string, unknown>): Promise<T>;
  /** Asks the child to stop and resolves once it has exited (a CPU profile is written on a clean exit only). */
  stop(): Promise<void>;
}

/**
 * Answers by question. Every child also answers `cpu` (its process.cpuUsage(), µs), `loop` (its
 * event loop's delays since the last `loop`, a LoopDelay) and `stop` (its cleanup, then it exits);
 * a handler named `cpu` or `loop` replaces the process's own answer.
 */
export type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

interface Question {
  readonly id: number;
  readonly question: string;
  readonly args: Record<string, unknown>;
}

/** How late the child's event loop ran its timers: what a request arriving then waited before the child looked at it. */
export interface LoopDelay {
  readonly p99Ms: number;
  readonly maxMs: number;
}

type Answer = { readonly id: number; readonly value: unknown } | { readonly id: number; readonly error: string };

/** A stuck child must not hold the bench forever: after this long a stop becomes a kill. */
const STOP_TIMEOUT_MS = 30_000;

/**
 * Forks a compiled bench script with IPC. `SLUICE_BENCH_NODE_FLAGS` and `SLUICE_BENCH_CPU_PROF=DIR`
 * apply as in runChild; the profile is named `<name>-<time>.cpuprofile`, so that it can be told apart
 * from the other children's.
 */
export function startServiceChild<Ready>(script: string, args: readonly string[], name: string): Promise<ServiceChild<Ready>> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const flags = (process.env['SLUICE_BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
  const profileDir = process.env['SLUICE_BENCH_CPU_PROF'];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
  const child = fork(path, [...args], { execArgv: [...flags, ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const onEarlyExit = (code: number | null): void => reject(new Error(`${script} exited ${code} before it was serving`));
    child.once('exit', onEarlyExit);
    child.once('error', reject);
    child.once('message', (message: { ready?: Ready }) => {
      child.off('exit', onEarlyExit);
      resolve(handle(child, script, message.ready as Ready));
    });
  });
}

function handle<Ready>(child: ChildProcess, script: string, ready: Ready): ServiceChild<Ready> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (answer: Answer) => {
    const waiter = pending.get(answer.id);
    if (waiter === undefined) return;
    pending.delete(answer.id);
    if ('error' in answer) waiter.reject(new Error(`${script}: ${answer.error}`));
    else waiter.resolve(answer.value);
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${script} exited ${code} before it answered`));
    pending.clear();
  });
  const ask = <T>(question: string, args: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error(`${script} is not running`));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, question, args } satisfies Question);
    });
  let stopping: Promise<void> | undefined;
  return {
    ready,
    ask,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null) return;
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await ask('stop').catch(() => undefined);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

/**
 * The child's side: reports `ready`, then answers each question with its handler. `stop` runs the
 * handler, answers, and exits; so does a bench that goes away (the channel closes), without answering.
 */
export function serveParent(ready: unknown, handlers: Handlers, stop: () => Promise<void>): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('this script is a bench child: run it through startServiceChild (it needs an IPC channel)');
  let stopping = false;
  const stopThen = async (then: () => void): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await stop().catch((error: unknown) => process.stderr.write(`bench child: stopping failed: ${String(error)}\n`));
    then();
  };
  process.on('disconnect', () => void stopThen(() => process.exit(1)));
  // Sampled every millisecond, as the time between two runs of a 1 ms timer: the 1 ms is taken off again.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const stallMs = (nanos: number): number => Math.max(0, nanos / 1e6 - 1);
  const loop = (): LoopDelay => {
    const delay = { p99Ms: stallMs(loopDelay.percentile(99)), maxMs: stallMs(loopDelay.max) };
    loopDelay.reset();
    return delay;
  };
  process.on('message', (message: Question) => {
    if (message.question === 'stop') {
      void stopThen(() => send({ id: message.id, value: null } satisfies Answer, undefined, {}, () => process.exit(0)));
      return;
    }
    // A child's own `cpu` or `loop` (a gateway whose workers do the work) comes before the process's.
    const handler = handlers[message.question] ?? (message.question === 'cpu' ? () => process.cpuUsage() : message.question === 'loop' ? loop : undefined);
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`no such question: ${message.question}`);
        return handler(message.args);
      })
      .then(
        (value) => send({ id: message.id, value } satisfies Answer),
        (error: unknown) => send({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies Answer),
      );
  });
  send({ ready });
}
