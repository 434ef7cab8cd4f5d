import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@sluice/logging';
import { startOrphanAdoption } from '../../src/cluster/orphan-adoption.js';
import { acquireSpoolLock } from '../../src/cluster/spool-lock.js';
import type { PublisherStats } from '../../src/publish/publisher-stats.js';
import type { RecordPublisher } from '../../src/publish/record-publisher.js';

const logger = createLogger({ name: 'orphan-adoption-test', level: 'silent' });

function stats(replayed: number): PublisherStats {
  return { published: replayed, spooled: 0, replayed, dropped: 0, queued: 0, spoolBytes: 0, spoolRecords: 0, mode: 'direct', kafkaHealthy: true, spoolDamage: { corruptRegions: 0, corruptBytes: 0, truncatedBytes: 0, writeFailedRecords: 0, damagedRecords: 0 } };
}

/** A publisher on `dir` that "replays" its segment files: drained once Kafka is `up`, deleting them, as the real spool does. */
function fakePublisher(dir: string, kafka: { up: boolean }, log: string[]): RecordPublisher {
  const records = readdirSync(dir).filter((name) => name.endsWith('.seg')).length;
  let replayed = 0;
  let closed = false;
  log.push(`start ${dir}`);
  return {
    publish: () => undefined,
    stats: () => stats(replayed),
    async drained() {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!kafka.up || closed) return false;
      for (const name of readdirSync(dir)) if (name.endsWith('.seg')) rmSync(join(dir, name));
      replayed = records;
      return true;
    },
    close: () => {
      closed = true;
      log.push(`close ${dir}`);
      return Promise.resolve();
    },
  };
}

function spoolRoot(orphans: Record<string, readonly string[]>): string {
  const root = mkdtempSync(join(tmpdir(), 'sluice-orphans-'));
  for (const [name, files] of Object.entries(orphans)) {
    mkdirSync(join(root, name));
    for (const file of files) writeFileSync(join(root, name, file), 'x');
  }
  return root;
}

test('orphaned spools are replayed one after another, their figures added up, and removed once empty', async () => {
  const root = spoolRoot({ 'worker-1': ['0000000000000001.seg', '0000000000000002.seg', 'head.json'], 'worker-2': ['0000000000000001.seg'] });
  const log: string[] = [];
  try {
    const adoption = startOrphanAdoption({ root, workers: 1, logger, startPublisher: (dir) => Promise.resolve(fakePublisher(dir, { up: true }, log)) });
    await adoption.done;
    assert.deepEqual(log, [`start ${join(root, 'worker-1')}`, `close ${join(root, 'worker-1')}`, `start ${join(root, 'worker-2')}`, `close ${join(root, 'worker-2')}`]);
    assert.equal(adoption.stats()?.replayed, 3);
    assert.equal(existsSync(join(root, 'worker-1')), false);
    assert.equal(existsSync(join(root, 'worker-2')), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a replayed orphan that still holds quarantined records is kept for an operator, unlocked', async () => {
  const root = spoolRoot({ 'worker-1': ['0000000000000001.seg', 'quarantine.entries'] });
  try {
    const adoption = startOrphanAdoption({ root, workers: 1, logger, startPublisher: (dir) => Promise.resolve(fakePublisher(dir, { up: true }, [])) });
    await adoption.done;
    assert.deepEqual(readdirSync(join(root, 'worker-1')), ['quarantine.entries']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a spool whose owner still runs is not adopted, and the owned worker directories never are', async () => {
  const root = spoolRoot({ 'worker-1': ['0000000000000001.seg'], 'worker-2': ['0000000000000001.seg'] });
  const log: string[] = [];
  try {
    // Another process (pid 4242, which the probe reports alive) holds worker-2's lock, as a live gateway would.
    const otherGateway = 4242;
    const probe = { self: () => Promise.resolve({ pid: process.pid }), alive: (holder: { pid: number }) => Promise.resolve(holder.pid === otherGateway) };
    const held = await acquireSpoolLock(join(root, 'worker-2'), { probe: { ...probe, self: () => Promise.resolve({ pid: otherGateway }) } });
    const adoption = startOrphanAdoption({ root, workers: 2, logger, lock: { probe }, startPublisher: (dir) => Promise.resolve(fakePublisher(dir, { up: true }, log)) });
    await adoption.done;
    assert.deepEqual(log, [], 'worker-1 belongs to a live worker of this run; worker-2 to a live process');
    assert.ok(existsSync(join(root, 'worker-2', '0000000000000001.seg')));
    await held.release();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('stopping while Kafka is away closes the adopted publisher and keeps the orphan for the next start', async () => {
  const root = spoolRoot({ 'worker-1': ['0000000000000001.seg'] });
  const log: string[] = [];
  try {
    const adoption = startOrphanAdoption({ root, workers: 1, logger, drainPollMs: 5, startPublisher: (dir) => Promise.resolve(fakePublisher(dir, { up: false }, log)) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await adoption.stop();
    assert.deepEqual(log, [`start ${join(root, 'worker-1')}`, `close ${join(root, 'worker-1')}`]);
    assert.deepEqual(readdirSync(join(root, 'worker-1')), ['0000000000000001.seg'], 'not replayed: kept, and its lock released');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
