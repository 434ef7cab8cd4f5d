import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@sluice/logging';
import type { JobPosition, PositionLog } from '@sluice/kafka';
import { createStartPositions } from '../../src/commit/start-positions.js';
import { createJobStatus } from '../../src/job-status.js';

function setup() {
  const copies: JobPosition[][] = [];
  const positionLog: PositionLog = {
    record: (_job, _topic, positions) => (copies.push([...positions]), Promise.resolve()),
    read: () => Promise.resolve([]),
  };
  const tracker = createJobStatus(4, 'job', 'fake');
  const positions = createStartPositions({ jobId: 4, topic: 't', positionLog, tracker, log: createLogger({ name: 'test', level: 'silent' }), now: () => 0 });
  return { copies, tracker, positions };
}

test('where each partition started, and why, shows in health, and the seeded positions are copied', () => {
  const { copies, tracker, positions } = setup();
  positions.seeded([
    { partition: 0, offset: '120', from: 'last-delivered', metadata: 'sluice-cuts:1:120-130' },
    { partition: 1, offset: '0', from: 'earliest' },
  ]);
  assert.equal(tracker.status.start_positions, 'p0@120:last-delivered p1@0:earliest');
  assert.equal(tracker.status.error_message, null);
  assert.deepEqual(copies, [[{ partition: 0, offset: 120, metadata: 'sluice-cuts:1:120-130' }, { partition: 1, offset: 0, metadata: null }]]);
});

test('records lost to retention before delivery are named in error_message', () => {
  const { tracker, positions } = setup();
  positions.seeded([{ partition: 2, offset: '300', from: 'last-delivered', expiredBefore: '300' }]);
  assert.match(tracker.status.error_message ?? '', /^OFFSETS_EXPIRED_RECORDS_LOST: .*partition 2 before offset 300/);
});

test('nothing seeded, nothing shown', () => {
  const { copies, tracker, positions } = setup();
  positions.seeded([]);
  assert.equal(tracker.status.start_positions, null);
  assert.deepEqual(copies, []);
});
