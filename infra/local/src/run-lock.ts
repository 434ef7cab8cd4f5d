// A lock file in .run so that two infraUp/infraDown calls (two terminals, two test runs) take turns.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfraError } from './infra-error.js';
import { isProcessAlive } from './process-control.js';

export interface RunLockOptions {
  /** How long to wait for another holder; a first-time Maven fetch can hold it for minutes. */
  readonly timeoutMs: number;
  readonly pollMs?: number;
  /** Told once when we start waiting for another process. */
  readonly onWait?: (holderPid: number) => void;
}

/** Runs `task` while holding `lockFile`; a lock left by a dead process is taken over. */
export async function withRunLock<T>(lockFile: string, options: RunLockOptions, task: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    if (tryCreate(lockFile)) break;
    const holder = readHolder(lockFile);
    // An empty file may be a lock being written right now; only an old one is abandoned.
    if (holder === undefined ? ageMs(lockFile) > 2_000 : !isProcessAlive(holder)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new InfraError('INFRA_LOCK_TIMEOUT', `process ${holder ?? '?'} has held ${lockFile} for too long; if it is stuck, stop it or delete the file`);
    }
    if (!told && holder !== undefined) options.onWait?.(holder);
    told = true;
    await sleep(options.pollMs ?? 200);
  }
  try {
    return await task();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function tryCreate(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readHolder(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
