import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireSpoolLock, LOCK_FILE } from '../../src/cluster/spool-lock.js';
import type { LockHolder, ProcessProbe } from '../../src/cluster/spool-lock.js';

/** Processes by pid: those listed are alive. */
function probe(self: LockHolder, alive: readonly number[]): ProcessProbe {
  return { self: () => Promise.resolve(self), alive: (holder) => Promise.resolve(alive.includes(holder.pid)) };
}

function withDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-spool-lock-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('a spool held by a live process is refused with EDGE_SPOOL_LOCKED, naming the holder', withDir(async (dir) => {
  const first = await acquireSpoolLock(dir, { probe: probe({ pid: 100 }, [100, 200]) });
  await assert.rejects(acquireSpoolLock(dir, { probe: probe({ pid: 200 }, [100, 200]) }), (error: Error & { code?: string }) => error.code === 'EDGE_SPOOL_LOCKED' && /process 100/.test(error.message));
  await first.release();
  assert.equal(existsSync(join(dir, LOCK_FILE)), false, 'released: the lock file is gone');
}));

test('the lock of a process that died (kill -9) is taken over', withDir(async (dir) => {
  await acquireSpoolLock(dir, { probe: probe({ pid: 100 }, [100]) });
  const successor = await acquireSpoolLock(dir, { probe: probe({ pid: 300 }, [300]) });
  assert.equal((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder).pid, 300);
  await successor.release();
}));

test('a reused pid is no owner: the recorded start time must match', withDir(async () => {
  // The system probe: this process is alive, but not with a start time it never had.
  const { systemProbe } = await import('../../src/cluster/spool-lock.js');
  const me = await systemProbe.self();
  assert.equal(await systemProbe.alive(me), true);
  if (me.started !== undefined) assert.equal(await systemProbe.alive({ pid: me.pid, started: `${me.started}9` }), false);
}));

test('a holder that goes away within the wait is succeeded, and releasing leaves a successor\'s lock alone', withDir(async (dir) => {
  const alive = [100];
  const holder = await acquireSpoolLock(dir, { probe: probe({ pid: 100 }, alive) });
  setTimeout(() => alive.pop(), 50);
  const next = await acquireSpoolLock(dir, { probe: probe({ pid: 200 }, alive), waitMs: 5_000, pollMs: 10 });
  await holder.release();
  assert.equal((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder).pid, 200, 'the old holder did not remove its successor\'s lock');
  await next.release();
}));

test('an unreadable lock file is taken over rather than blocking the gateway forever', withDir(async (dir) => {
  writeFileSync(join(dir, LOCK_FILE), 'not json');
  const lock = await acquireSpoolLock(dir, { probe: probe({ pid: 100 }, [100]) });
  assert.equal((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder).pid, 100);
  await lock.release();
}));
