import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSharedLoginTracker } from '../../src/cluster/shared-login-tracker.js';
import { createLoginTracker } from '../../src/records/login-tracker.js';

test('two workers sharing the primary\'s memory log one login per token', () => {
  const primary = createLoginTracker();
  const logins: string[] = [];
  const workers = [0, 1].map((w) => {
    const tracker = createSharedLoginTracker((id, tokenId, expiresAtMs) => tracker.answer(id, primary.firstSeen(tokenId, expiresAtMs)));
    return (token: string): void => {
      if (tracker.firstSeen(token, Date.now() + 60_000, () => logins.push(`${token} on ${w}`))) logins.push(`${token} at once on ${w}`);
    };
  });
  workers[0]?.('t1');
  workers[1]?.('t1');
  workers[1]?.('t1');
  workers[1]?.('t2');
  workers[0]?.('t2');
  assert.deepEqual(logins, ['t1 on 0', 't2 on 1']);
});

test('a token the worker has seen asks the primary nothing; the primary\'s "not first" logs nothing', () => {
  const asked: string[] = [];
  const tracker = createSharedLoginTracker((id, tokenId) => {
    asked.push(tokenId);
    tracker.answer(id, false);
  });
  let logged = 0;
  assert.equal(tracker.firstSeen('t1', Date.now() + 60_000, () => logged++), false);
  assert.equal(tracker.firstSeen('t1', Date.now() + 60_000, () => logged++), false);
  assert.deepEqual(asked, ['t1']);
  assert.equal(logged, 0);
});
