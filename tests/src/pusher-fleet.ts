// `sluice pusher` processes on one jobs file (so in the same consumer groups), started, killed -9 and stopped by pid.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SLUICE_BIN } from './run-sluice.js';

export interface PusherFleetOptions {
  jobsFile: string;
  /** How many members the fleet has; each slot runs one process at a time. */
  size: number;
  /** Each process writes its stdout and stderr to `<logDir>/<name>-<slot>-<incarnation>.log`. */
  logDir: string;
  /** Names the log files (default `pusher`). */
  name?: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Node flags before the script, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Extra `sluice pusher` arguments, e.g. `--exit-when-idle 4`. */
  pusherArgs?: readonly string[];
}

export interface PusherExit {
  slot: number;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  /** When it exited, ms since the epoch. */
  atMs: number;
}

export interface PusherFleet {
  readonly size: number;
  /** Every process started so far, alive or not, in start order. */
  readonly processes: readonly { slot: number; pid: number; log: string }[];
  /** Every process that has exited, in exit order. */
  readonly exits: readonly PusherExit[];
  /** Starts a process in `slot` (which must be empty); returns its pid. */
  start(slot: number): number;
  isRunning(slot: number): boolean;
  /**
   * Resolves once the process in `slot` has logged that it started (its signal handlers are in place,
   * so a SIGTERM is a graceful stop); rejects if it exits first or not within `limitMs`.
   */
  started(slot: number, limitMs?: number): Promise<void>;
  /** SIGKILL of the process in `slot`, by its pid; resolves once it has exited. */
  kill(slot: number): Promise<PusherExit>;
  /** Resolves when the process in `slot` exits by itself. */
  exited(slot: number): Promise<PusherExit>;
  /** SIGTERM to every running process (a graceful stop: open batches delivered, offsets committed); SIGKILL after `graceMs`. */
  stopAll(graceMs: number): Promise<PusherExit[]>;
  /** SIGKILL of every running process: the clean-up that runs even when a test fails. */
  killAll(): Promise<void>;
}

interface Member {
  child: ChildProcess;
  exit: Promise<PusherExit>;
  log: string;
}

/** What `sluice pusher` logs (at info) once its jobs are running. */
const STARTED_LINE = '"msg":"pusher started"';

export function createPusherFleet(options: PusherFleetOptions): PusherFleet {
  const members = new Map<number, Member>();
  const processes: { slot: number; pid: number; log: string }[] = [];
  const exits: PusherExit[] = [];
  const incarnations = new Map<number, number>();
  // If the test process ends without its clean-up (an uncaught error), no pusher may outlive it.
  const killLeftovers = (): void => {
    for (const { child } of members.values()) child.kill('SIGKILL');
  };
  process.once('exit', killLeftovers);

  const member = (slot: number): Member => {
    const found = members.get(slot);
    if (!found) throw new Error(`no pusher is running in slot ${slot}`);
    return found;
  };

  const fleet: PusherFleet = {
    size: options.size,
    processes,
    exits,
    start(slot) {
      if (members.has(slot)) throw new Error(`slot ${slot} already runs pid ${members.get(slot)?.child.pid}`);
      const incarnation = (incarnations.get(slot) ?? 0) + 1;
      incarnations.set(slot, incarnation);
      const log = join(options.logDir, `${options.name ?? 'pusher'}-${slot}-${incarnation}.log`);
      const fd = openSync(log, 'a');
      const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SLUICE_BIN, 'pusher', '--jobs', options.jobsFile, ...(options.pusherArgs ?? [])], {
        env: { ...process.env, ...options.env },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      const pid = child.pid;
      if (pid === undefined) throw new Error(`could not start a pusher in slot ${slot} (see ${log})`);
      const exit = new Promise<PusherExit>((resolve) => {
        child.once('exit', (code, signal) => {
          members.delete(slot);
          const ended = { slot, pid, code, signal, log, atMs: Date.now() };
          exits.push(ended);
          resolve(ended);
        });
      });
      members.set(slot, { child, exit, log });
      processes.push({ slot, pid, log });
      return pid;
    },
    isRunning: (slot) => members.has(slot),
    async started(slot, limitMs = 30_000) {
      const { child, log } = member(slot);
      const giveUpAt = Date.now() + limitMs;
      while (!(await readFile(log, 'utf8')).includes(STARTED_LINE)) {
        if (members.get(slot)?.child !== child) throw new Error(`the pusher in slot ${slot} (pid ${child.pid}) exited before it started; see ${log}`);
        if (Date.now() > giveUpAt) throw new Error(`the pusher in slot ${slot} (pid ${child.pid}) did not start within ${limitMs / 1000} s; see ${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    kill(slot) {
      const { child, exit } = member(slot);
      child.kill('SIGKILL');
      return exit;
    },
    exited: (slot) => member(slot).exit,
    async stopAll(graceMs) {
      const running = [...members.values()];
      for (const { child } of running) child.kill('SIGTERM');
      const timer = setTimeout(() => running.forEach(({ child }) => child.kill('SIGKILL')), graceMs);
      try {
        return await Promise.all(running.map(({ exit }) => exit));
      } finally {
        clearTimeout(timer);
      }
    },
    async killAll() {
      const running = [...members.values()];
      for (const { child } of running) child.kill('SIGKILL');
      await Promise.all(running.map(({ exit }) => exit));
      process.removeListener('exit', killLeftovers);
    },
  };
  return fleet;
}
