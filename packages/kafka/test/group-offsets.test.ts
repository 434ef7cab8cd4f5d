import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Admin } from 'kafkajs';
import { seedGroupOffsets } from '../src/group-offsets.js';
import type { JobPosition } from '../src/position-log.js';

interface FakeAdmin {
  admin: Admin;
  set: { partition: number; offset: string; metadata?: string }[];
}

/** Partitions 0–2: committed offsets (-1 for none), the log's first offset, and the offset at the time asked for. */
function fakeAdmin(committed: number[], low: number[], atTime: number[]): FakeAdmin {
  const set: FakeAdmin['set'] = [];
  const admin = {
    fetchOffsets: () => Promise.resolve([{ topic: 't', partitions: committed.map((offset, partition) => ({ partition, offset: String(offset), metadata: null })) }]),
    fetchTopicOffsets: () => Promise.resolve(low.map((l, partition) => ({ partition, low: String(l), high: '1000', offset: '1000' }))),
    fetchTopicOffsetsByTimestamp: () => Promise.resolve(atTime.map((offset, partition) => ({ partition, offset: String(offset) }))),
    setOffsets: ({ partitions }: { partitions: FakeAdmin['set'] }) => {
      set.push(...partitions);
      return Promise.resolve();
    },
  } as unknown as Admin;
  return { admin, set };
}

const NOW = new Date('2026-12-07T00:00:00Z');
const recorded = (positions: JobPosition[]) => () => Promise.resolve(positions);

test('a new job without start_from starts now, and says so', async () => {
  const { admin, set } = fakeAdmin([-1, -1, -1], [0, 0, 0], [50, 60, 70]);
  const seeded = await seedGroupOffsets(admin, 'g', 't', { now: NOW, recorded: recorded([]) });
  assert.deepEqual(seeded.map((s) => [s.partition, s.offset, s.from]), [[0, '50', 'now'], [1, '60', 'now'], [2, '70', 'now']]);
  assert.equal(set.length, 3);
});

test('partitions that have a committed offset are left alone', async () => {
  const { admin, set } = fakeAdmin([5, 6, 7], [0, 0, 0], [50, 60, 70]);
  assert.deepEqual(await seedGroupOffsets(admin, 'g', 't', { now: NOW }), []);
  assert.deepEqual(set, []);
});

test('a job whose group offsets expired resumes from its recorded positions, cuts included, never from now', async () => {
  const { admin, set } = fakeAdmin([-1, -1, 9], [0, 0, 0], [500, 600, 700]);
  const seeded = await seedGroupOffsets(admin, 'g', 't', {
    now: NOW,
    recorded: recorded([{ partition: 0, offset: 120, metadata: 'sluice-cuts:1:120-130' }]),
  });
  assert.deepEqual(seeded.map((s) => [s.partition, s.offset, s.from]), [[0, '120', 'last-delivered'], [1, '0', 'earliest']]);
  assert.deepEqual(set[0], { partition: 0, offset: '120', metadata: 'sluice-cuts:1:120-130' });
});

test('with start_from, a partition the log has no position for starts there', async () => {
  const { admin } = fakeAdmin([-1, -1, -1], [0, 0, 0], [500, 600, 700]);
  const seeded = await seedGroupOffsets(admin, 'g', 't', { startFrom: new Date('2026-12-01T00:00:00Z'), now: NOW, recorded: recorded([{ partition: 2, offset: 42, metadata: null }]) });
  assert.deepEqual(seeded.map((s) => [s.partition, s.offset, s.from]), [[0, '500', 'start-from'], [1, '600', 'start-from'], [2, '42', 'last-delivered']]);
});

test('a recorded position that retention already deleted starts at the oldest record and names the loss', async () => {
  const { admin } = fakeAdmin([-1, 3, 3], [300, 0, 0], [0, 0, 0]);
  const [seeded] = await seedGroupOffsets(admin, 'g', 't', { now: NOW, recorded: recorded([{ partition: 0, offset: 120, metadata: 'sluice-cuts:1:120-130' }]) });
  assert.equal(seeded?.offset, '300');
  assert.equal(seeded?.expiredBefore, '300');
  assert.equal(seeded?.metadata, undefined, 'cuts of deleted records are not carried over');
});
