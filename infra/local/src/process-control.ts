// Starts detached background processes with pid files, and finds and stops them again.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfraError } from './infra-error.js';

/** How to launch one server; stdout and stderr are appended to `consoleFile`. */
export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly consoleFile: string;
}

/**
 * Starts the process in its own session (so Ctrl-C in the parent's terminal does not reach it),
 * with no pipes back to the parent and unref'd, so it outlives the process that started it.
 */
export function startDetached(spec: LaunchSpec, pidFile: string): number {
  mkdirSync(dirname(spec.consoleFile), { recursive: true });
  const fd = openSync(spec.consoleFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, detached: true, stdio: ['ignore', fd, fd] });
    // A failed spawn also emits 'error' later; without a listener that would crash the caller.
    child.on('error', () => undefined);
    if (child.pid === undefined) {
      throw new InfraError('INFRA_SPAWN_FAILED', `could not start ${spec.command} ${spec.args.join(' ')}`);
    }
    child.unref();
    writeFileSync(pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function readPidFile(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function removePidFile(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = readProc(pid, 'stat');
  // Field 3 of /proc/<pid>/stat is the state; the command name before it may contain spaces.
  return stat === undefined || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/**
 * Whether `pid` is alive and its command line contains `marker` (a path only our process has),
 * so a pid file outliving a reboot cannot make us signal someone else's process.
 * Without /proc (macOS) liveness alone has to do.
 */
export function processMatches(pid: number, marker: string): boolean {
  if (!isProcessAlive(pid)) return false;
  const cmdline = readProc(pid, 'cmdline');
  return cmdline === undefined || cmdline.split('\0').some((arg) => arg.includes(marker));
}

/** The pid from `pidFile` when that process is still ours and alive. */
export function runningPid(pidFile: string, marker: string): number | undefined {
  const pid = readPidFile(pidFile);
  return pid !== undefined && processMatches(pid, marker) ? pid : undefined;
}

export interface StopOptions {
  /** How long SIGTERM gets before SIGKILL; Kafka's controlled shutdown takes a few seconds. */
  readonly graceMs: number;
  readonly pollMs?: number;
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL and wait again. Says how the process ended. */
export async function stopProcess(pid: number, options: StopOptions): Promise<'not-running' | 'terminated' | 'killed'> {
  const pollMs = options.pollMs ?? 100;
  if (!isProcessAlive(pid) || !signal(pid, 'SIGTERM')) return 'not-running';
  if (await waitForExit(pid, options.graceMs, pollMs)) return 'terminated';
  // Gone between the last poll and SIGKILL: it did end on SIGTERM.
  return (await killProcess(pid, pollMs)) === 'killed' ? 'killed' : 'terminated';
}

/** SIGKILL at once, as a crash would end it (no shutdown hooks, no clean close), and wait until it is gone. */
export async function killProcess(pid: number, pollMs = 100): Promise<'not-running' | 'killed'> {
  if (!isProcessAlive(pid) || !signal(pid, 'SIGKILL')) return 'not-running';
  if (await waitForExit(pid, 5_000, pollMs)) return 'killed';
  throw new InfraError('INFRA_STOP_FAILED', `process ${pid} is still alive 5 s after SIGKILL`);
}

async function waitForExit(pid: number, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
