import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOrphanSpoolDirs, orphanSpoolNames, workerSpoolDir } from '../../src/cluster/spool-dirs.js';

test('worker 0 keeps the spool directory itself, so one worker finds the spool where a single process left it', () => {
  assert.equal(workerSpoolDir('/var/spool/edge', 0), '/var/spool/edge');
  assert.equal(workerSpoolDir('/var/spool/edge', 3), join('/var/spool/edge', 'worker-3'));
});

test('the orphans are the worker directories at or beyond the worker count, in index order', () => {
  const names = ['worker-10', 'head.json', 'worker-2', 'worker-1', 'worker-0', 'worker-01', 'worker-x', '0000000000000001.seg'];
  assert.deepEqual(orphanSpoolNames(names, 2), ['worker-2', 'worker-10']);
  assert.deepEqual(orphanSpoolNames(names, 1), ['worker-1', 'worker-2', 'worker-10']);
  assert.deepEqual(orphanSpoolNames(names, 11), []);
});

test('only directories count as orphans, and a spool directory not yet made has none', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sluice-spool-dirs-'));
  try {
    mkdirSync(join(root, 'worker-1'));
    mkdirSync(join(root, 'worker-3'));
    writeFileSync(join(root, 'worker-2'), 'a file, not a spool');
    assert.deepEqual(await findOrphanSpoolDirs(root, 1), [join(root, 'worker-1'), join(root, 'worker-3')]);
    assert.deepEqual(await findOrphanSpoolDirs(root, 2), [join(root, 'worker-3')]);
    assert.deepEqual(await findOrphanSpoolDirs(join(root, 'missing'), 1), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
