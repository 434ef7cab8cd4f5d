// Tests for the lock that makes concurrent infraUp/infraDown calls take turns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isInfraError } from '../src/infra-error.js';
import { withRunLock } from '../src/run-lock.js';

function lockPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'infra-lock-')), 'infra.lock');
}

test('two holders never overlap, and the lock file is gone afterwards', async () => {
  const lock = lockPath();
  const events: string[] = [];
  const hold = (name: string) => withRunLock(lock, { timeoutMs: 5_000, pollMs: 5 }, async () => {
    events.push(`${name} in`);
    await sleep(50);
    events.push(`${name} out`);
  });
  await Promise.all([hold('a'), hold('b')]);
  assert.deepEqual(events.map((event) => event.split(' ')[1]), ['in', 'out', 'in', 'out']);
  assert.equal(existsSync(lock), false);
});

test('a lock left behind by a dead process is taken over', async () => {
  const lock = lockPath();
  writeFileSync(lock, '2147483646\n');
  assert.equal(await withRunLock(lock, { timeoutMs: 1_000 }, () => Promise.resolve('ran')), 'ran');
});

test('a lock held by a live process too long fails with INFRA_LOCK_TIMEOUT, naming the holder', async () => {
  const lock = lockPath();
  writeFileSync(lock, `${process.ppid}\n`);
  const waitedFor: number[] = [];
  await assert.rejects(
    withRunLock(lock, { timeoutMs: 50, pollMs: 10, onWait: (pid) => waitedFor.push(pid) }, () => Promise.resolve()),
    (error) => isInfraError(error, 'INFRA_LOCK_TIMEOUT') && error.message.includes(String(process.ppid)),
  );
  assert.deepEqual(waitedFor, [process.ppid]);
  assert.equal(existsSync(lock), true);
});

test('the lock is released when the task throws', async () => {
  const lock = lockPath();
  await assert.rejects(withRunLock(lock, { timeoutMs: 1_000 }, () => Promise.reject(new Error('task failed'))), /task failed/);
  assert.equal(existsSync(lock), false);
});
