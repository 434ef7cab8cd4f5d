import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionProgress } from '../src/partition-progress.js';

test('records that need no delivery are committable as soon as they are consumed', () => {
  const p = new PartitionProgress(10);
  p.consumed(10);
  p.consumed(11);
  assert.equal(p.commitDue(), 12);
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
  second.delivered = true;
  assert.equal(p.committable(), 0);
  first.delivered = true;
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
