// Ownership of a spool directory: one live process at a time, recorded in `<dir>/owner.lock`; a dead owner's lock is taken over.
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EdgeClusterError } from './cluster-error.js';

export const LOCK_FILE = 'owner.lock';

/** Who holds a lock: the process id, and its start time where the system tells it (Linux), so that a reused pid is not taken for the owner. */
export interface LockHolder {
  readonly pid: number;
  readonly started?: string;
}

export interface ProcessProbe {
  /** This process, as a lock names it. */
  self(): Promise<LockHolder>;
  /** Whether the holder still runs: its pid is alive and, when both are known, started when the lock says. */
  alive(holder: LockHolder): Promise<boolean>;
}

export interface SpoolLock {
  readonly dir: string;
  /** Removes the lock file if it is still ours; later calls do nothing. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  readonly probe?: ProcessProbe;
  /** How long to wait for a live holder to go away (a gateway shutting down, workers orphaned by a killed primary), ms (default 0). */
  readonly waitMs?: number;
  readonly pollMs?: number;
}

/**
 * Creates the lock with O_EXCL. If it exists and its holder is dead, it is replaced (written aside,
 * then renamed over it). Two processes taking over the same dead lock at the same instant could both
 * win; the primary's worker numbering rules that out within one gateway, and only two gateways
 * wrongly sharing one spool root could race so.
 */
export async function acquireSpoolLock(dir: string, options: AcquireOptions = {}): Promise<SpoolLock> {
  const probe = options.probe ?? systemProbe;
  const me = await probe.self();
  const file = join(dir, LOCK_FILE);
  const text = `${JSON.stringify(me)}\n`;
  await mkdir(dir, { recursive: true });
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(text);
      await handle.close();
      return lockOf(dir, file, text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (holder === undefined || holder.pid === me.pid || !(await probe.alive(holder))) {
      // A dead holder (or our own leftover, or an unreadable file): take it over.
      const aside = `${file}.${me.pid}.tmp`;
      await rm(aside, { force: true });
      const handle = await open(aside, 'w');
      await handle.writeFile(text);
      await handle.close();
      await rename(aside, file);
      return lockOf(dir, file, text);
    }
    if (Date.now() >= deadline) throw new EdgeClusterError('EDGE_SPOOL_LOCKED', `the spool directory ${dir} is in use by process ${holder.pid}; two gateways cannot share a spool (give each its own spool.dir)`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

function lockOf(dir: string, file: string, text: string): SpoolLock {
  let released = false;
  return {
    dir,
    async release() {
      if (released) return;
      released = true;
      // Only our own lock: a successor that took over a lock it thought dead keeps its own.
      if ((await readFile(file, 'utf8').catch(() => '')) === text) await rm(file, { force: true });
    },
  };
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' ? { pid: holder.pid, ...(typeof holder.started === 'string' ? { started: holder.started } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** The 22nd field of /proc/<pid>/stat (start time in clock ticks since boot); undefined where there is no /proc. */
async function startTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export const systemProbe: ProcessProbe = {
  async self() {
    const started = await startTime(process.pid);
    return { pid: process.pid, ...(started !== undefined ? { started } : {}) };
  },
  async alive(holder) {
    try {
      process.kill(holder.pid, 0);
    } catch (error) {
      // EPERM: it runs, as another user.
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
    }
    if (holder.started === undefined) return true;
    const started = await startTime(holder.pid);
    return started === undefined || started === holder.started;
  },
};
