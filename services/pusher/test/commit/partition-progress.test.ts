import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionProgress } from '../../src/commit/partition-progress.js';
import { encodeCuts } from '../../src/commit/batch-cuts.js';

test('records that need no delivery are committable as soon as they are consumed', () => {
  const p = new PartitionProgress(10);
  p.consumed(10);
  p.consumed(11);
  assert.deepEqual(p.commitDue(), { offset: 12, metadata: '' });
});

test('an open batch holds the commit at its first record', () => {
  const p = new PartitionProgress(0);
  p.consumed(0);
  p.openBatchAt(1);
  p.consumed(1);
  p.consumed(2);
  assert.equal(p.committable(), 1);
});

test('a later delivered batch does not move the commit past an earlier undelivered one', () => {
  const p = new PartitionProgress(0);
  p.openBatchAt(0);
  p.consumed(4);
  const first = p.sealed(0);
  p.openBatchAt(5);
  p.consumed(9);
  const second = p.sealed(5);
  p.delivered(second);
  assert.equal(p.committable(), 0);
  p.delivered(first);
  assert.equal(p.committable(), 10);
});

test('a record on its way to the dead-letter topic holds the commit until released', () => {
  const p = new PartitionProgress(0);
  p.consumed(0);
  p.holdFrom(1);
  p.consumed(1);
  p.consumed(2);
  assert.equal(p.committable(), 1);
  p.release();
  assert.equal(p.committable(), 3);
});

test('a dead letter inside an open batch holds the commit at the batch start, even once that batch is delivered', () => {
  const p = new PartitionProgress(0);
  p.openBatchAt(0);
  p.consumed(0);
  p.holdFrom(3);
  p.consumed(5);
  const batch = p.sealed(0);
  p.openBatchAt(6);
  p.consumed(6);
  p.delivered(batch);
  // Offset 3 would be inside the delivered batch 0–5: a replay from there would cut a batch at 4.
  assert.equal(p.committable(), 0);
  p.release();
  assert.equal(p.committable(), 6);
});

test('nothing is due when the committable offset has not moved', () => {
  const p = new PartitionProgress(5);
  p.openBatchAt(5);
  p.consumed(7);
  assert.equal(p.commitDue(), undefined);
});

test('abandoning the open batch leaves its records uncommitted', () => {
  const p = new PartitionProgress(3);
  p.consumed(3);
  p.openBatchAt(4);
  p.consumed(8);
  p.abandonedOpen();
  assert.equal(p.committable(), 4);
});

test('the committed offset never moves back, even when an older commit finishes last', () => {
  const p = new PartitionProgress(0);
  p.committedTo(50, '');
  p.committedTo(20, '');
  assert.equal(p.committed, 50);
  p.consumed(10);
  assert.equal(p.committable(), 50, 'records behind the commit never pull it back');
  assert.equal(p.commitDue(), undefined);
});

test('a recorded cut makes a commit due at the same offset, and is dropped once the commit passes it', () => {
  const p = new PartitionProgress(100);
  p.openBatchAt(100);
  p.consumed(140);
  p.sealed(100);
  p.addCut({ from: 100, to: 140 });
  const due = p.commitDue();
  assert.deepEqual(due, { offset: 100, metadata: encodeCuts([{ from: 100, to: 140 }]) });
  p.committedTo(100, due?.metadata ?? '');
  assert.equal(p.commitDue(), undefined, 'the cut is durable: nothing more is due');
  assert.equal(p.cutEnding(100), 140);
  p.committedTo(141, p.metadataAt(141));
  assert.equal(p.cutEnding(100), undefined);
  assert.equal(p.metadataAt(141), '');
});

test('cuts read back from the last owner’s commit are followed and kept in later commits', () => {
  const metadata = encodeCuts([{ from: 10, to: 19 }, { from: 20, to: 25 }]);
  const p = new PartitionProgress(10, [{ from: 10, to: 19 }, { from: 20, to: 25 }], metadata);
  assert.equal(p.cutEnding(10), 19);
  assert.equal(p.cutEnding(20), 25);
  assert.equal(p.commitDue(), undefined, 'nothing changed since the last owner committed');
  p.openBatchAt(10);
  p.consumed(19);
  p.delivered(p.sealed(10));
  assert.deepEqual(p.commitDue(), { offset: 20, metadata: encodeCuts([{ from: 20, to: 25 }]) });
});
