import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message, PartitionMetadata } from 'kafkajs';
import { createSendPartitioner } from '../src/send-partitioner.js';

const topic = 'sluice.requests';

/** Partition metadata as kafkajs passes it to a partitioner; a leader of -1 means the partition has none. */
function partitionsWithLeaders(leaders: readonly number[], firstId = 0): PartitionMetadata[] {
  return leaders.map((leader, index) => ({
    partitionId: firstId + index,
    leader,
    replicas: [0, 1, 2],
    isr: leader < 0 ? [] : [leader],
    partitionErrorCode: 0,
  }));
}

/** Records with distinct keys (and some with none), which a key-hashing partitioner would spread. */
function records(count: number): Message[] {
  return Array.from({ length: count }, (_, index) => ({
    key: index % 3 === 0 ? null : `tenant-${index}`,
    value: `{"n":${index}}`,
  }));
}

/** Sends the way the record producer does: nextSend() first, then kafkajs asks for each record's partition. */
function sendAll(
  sends: number,
  partitionMetadata: PartitionMetadata[],
  recordsPerSend = 1,
): number[][] {
  const created = createSendPartitioner();
  const partition = created.create();
  const chosen: number[][] = [];
  for (let send = 0; send < sends; send++) {
    created.nextSend();
    chosen.push(records(recordsPerSend).map((message) => partition({ topic, partitionMetadata, message })));
  }
  return chosen;
}

test('every record of one send goes to the same partition whatever its key', () => {
  const partitionMetadata = partitionsWithLeaders([1, 2, 3, 1, 2, 3]);
  for (const partitions of sendAll(8, partitionMetadata, 12)) {
    assert.equal(partitions.length, 12);
    assert.equal(new Set(partitions).size, 1, `one send was spread over partitions ${partitions.join(', ')}`);
  }
});

test('successive sends move to the next partition in turn, choosing each of N partitions once in N sends', () => {
  const partitionMetadata = partitionsWithLeaders([1, 2, 3, 1, 2]);
  const perSend = sendAll(10, partitionMetadata, 3).map((partitions) => partitions[0]);
  const firstRound = perSend.slice(0, 5);
  assert.deepEqual([...firstRound].sort((a, b) => (a ?? 0) - (b ?? 0)), [0, 1, 2, 3, 4]);
  for (let send = 1; send < perSend.length; send++) {
    assert.equal(perSend[send], ((perSend[send - 1] ?? 0) + 1) % 5, `send ${send} did not move on to the next partition`);
  }
  // The second round repeats the first: the partitioner cycles rather than wandering.
  assert.deepEqual(perSend.slice(5), firstRound);
});

test('a partition without a leader is never chosen while another partition has one', () => {
  const partitionMetadata = partitionsWithLeaders([1, -1, 2, 3, -1, 1]);
  const perSend = sendAll(12, partitionMetadata, 4).map((partitions) => partitions[0]);
  for (const partition of perSend) {
    assert.ok(partition !== 1 && partition !== 4, `send went to partition ${partition} which has no leader`);
  }
  // The led partitions still share the sends evenly: 12 sends over 4 partitions is 3 each.
  const counts = new Map<number | undefined, number>();
  for (const partition of perSend) counts.set(partition, (counts.get(partition) ?? 0) + 1);
  assert.deepEqual([...counts.entries()].sort(([a], [b]) => (a ?? 0) - (b ?? 0)), [[0, 3], [2, 3], [3, 3], [5, 3]]);
});

test('with no partition led it still returns a partition id from the metadata', () => {
  const partitionMetadata = partitionsWithLeaders([-1, -1, -1], 4);
  const ids = new Set(partitionMetadata.map((partition) => partition.partitionId));
  const perSend = sendAll(6, partitionMetadata, 2);
  for (const partitions of perSend) {
    for (const partition of partitions) {
      assert.ok(ids.has(partition), `partition ${partition} is not one of ${[...ids].join(', ')}`);
    }
  }
});
