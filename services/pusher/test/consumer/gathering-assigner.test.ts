import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignerProtocol } from 'kafkajs';
import type { Cluster, GroupMember, Logger } from 'kafkajs';
import { GATHERING_ASSIGNER, gatheringAssigners } from '../../src/consumer/gathering-assigner.js';

const cluster = { findTopicPartitionMetadata: () => [0, 1, 2, 3, 4, 5].map((partitionId) => ({ partitionId })) } as unknown as Cluster;
const logger = { info: () => undefined } as unknown as Logger;
const member = (memberId: string): GroupMember => ({ memberId, memberMetadata: Buffer.alloc(0) });

/** What each member gets when the leader assigns `atMs` after its consumer was made, waiting for 2 members for 10 s. */
async function assigned(members: GroupMember[], atMs: number): Promise<Record<string, number[]>> {
  let nowMs = 0;
  const [gathering] = gatheringAssigners({ members: 2, holdMs: 10_000, now: () => nowMs });
  if (!gathering) throw new Error('no gathering assigner');
  const assigner = gathering({ cluster, groupId: 'g', logger });
  nowMs = atMs;
  const result = await assigner.assign({ members, topics: ['t'] });
  return Object.fromEntries(result.map((r) => [r.memberId, AssignerProtocol.MemberAssignment.decode(r.memberAssignment)?.assignment['t'] ?? []]));
}

void test('until every sibling has joined, no member gets a partition', async () => {
  assert.deepEqual(await assigned([member('a')], 0), { a: [] });
});

void test('once the siblings are in, the partitions are shared round robin', async () => {
  assert.deepEqual(await assigned([member('b'), member('a')], 0), { a: [0, 2, 4], b: [1, 3, 5] });
});

void test('after the hold, partitions go to whoever is there', async () => {
  assert.deepEqual(await assigned([member('a')], 10_000), { a: [0, 1, 2, 3, 4, 5] });
});

void test('a member that does not know the gathering assigner can still join: round robin is offered second', () => {
  const names = gatheringAssigners({ members: 2, holdMs: 1 }).map((create) => create({ cluster, groupId: 'g', logger }).name);
  assert.deepEqual(names, [GATHERING_ASSIGNER, 'RoundRobinAssigner']);
});
