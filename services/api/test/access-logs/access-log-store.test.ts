import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createAccessLogStore } from '../../src/access-logs/access-log-store.js';
import { parseAccessLogQuery } from '../../src/access-logs/access-log-query.js';
import type { AccessLogQuery } from '../../src/access-logs/access-log-query.js';
import { ACCESS_INDEX_SCHEMA } from '../../src/access-logs/index-schema.js';
import { buildQuery } from '../../src/access-logs/query-builder.js';
import { ACCOUNT_A, ACCOUNT_B, MINUTE_NS, T0_MS, T0_NS, accessEvent, eventSeries } from './sample-events.js';

const DAY_MS = 86_400_000;

function query(params: Record<string, string> = {}, account = ACCOUNT_A): AccessLogQuery {
  const parsed = parseAccessLogQuery(account, params);
  assert.ok(parsed.ok);
  return parsed.query;
}

test('the newest events of the account come first, and only that account\'s', () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  store.add([...eventSeries(10), accessEvent({ accountId: ACCOUNT_B, rayId: 'b-1' })]);
  const page = store.query(query({ limit: '3' }));
  assert.deepEqual(page.rows.map((row) => row.createdAtNs), [T0_NS, T0_NS - MINUTE_NS, T0_NS - 2n * MINUTE_NS]);
  assert.equal(page.total, 10);
  assert.equal(store.query(query({}, ACCOUNT_B)).total, 1);
  store.close();
});

test('asc reads oldest first; since is inclusive and until exclusive, to the nanosecond', () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  store.add(eventSeries(10));
  assert.equal(store.query(query({ direction: 'asc', limit: '1' })).rows[0]?.createdAtNs, T0_NS - 9n * MINUTE_NS);
  const since = new Date(T0_MS - 3 * 60_000).toISOString();
  const until = new Date(T0_MS).toISOString();
  const rows = store.query(query({ since, until, direction: 'asc' })).rows.map((row) => row.createdAtNs);
  assert.deepEqual(rows, [T0_NS - 3n * MINUTE_NS, T0_NS - 2n * MINUTE_NS, T0_NS - MINUTE_NS]);
  store.close();
});

test('events keep their time to the nanosecond and their deny reason', () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  store.add([accessEvent({ createdAtNs: T0_NS + 123_456_789n, allowed: false, denyReasonCode: 'IDENTITY_WRONG_AUDIENCE', denyReason: 'wrong audience: the token is for another app' })]);
  const [row] = store.query(query()).rows;
  assert.equal(row?.createdAtNs, T0_NS + 123_456_789n);
  assert.equal(row?.allowed, false);
  assert.equal(row?.denyReasonCode, 'IDENTITY_WRONG_AUDIENCE');
  assert.equal(row?.denyReason, 'wrong audience: the token is for another app');
  store.close();
});

test('each filter narrows the answer as the SDK describes', () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  store.add([
    ...eventSeries(9),
    accessEvent({ rayId: 'other-app', appUid: 'app-2', country: 'de', connection: 'okta', userEmail: 'carol@example.com' }),
    accessEvent({ rayId: 'anonymous', userEmail: '', allowed: false, denyReasonCode: 'IDENTITY_TOKEN_MISSING', denyReason: 'no token' }),
  ]);
  const total = (params: Record<string, string>) => store.query(query(params)).total;
  assert.equal(total({}), 11);
  assert.equal(total({ email: '@example.com' }), 6, 'substring: alice ×5 and carol');
  assert.equal(total({ email: 'Alice' }), 0, 'substring matching is case-sensitive');
  assert.equal(total({ email: 'alice@example.com', email_exact: 'true' }), 5);
  assert.equal(total({ email: 'alice@example.com', emailOp: 'neq', email_exact: 'true' }), 6);
  assert.equal(total({ email: 'example', emailOp: 'neq' }), 1, 'only the anonymous attempt has no such email');
  assert.equal(total({ allowed: 'false' }), 4);
  assert.equal(total({ allowed: 'false', allowedOp: 'neq' }), 7);
  assert.equal(total({ app_uid: 'app-2' }), 1);
  assert.equal(total({ app_uid: 'app-2', app_uidOp: 'neq' }), 10);
  assert.equal(total({ app_type: 'self_hosted' }), 11);
  assert.equal(total({ country_code: 'DE' }), 1, 'country codes compare in any case');
  assert.equal(total({ idp: 'okta' }), 1);
  assert.equal(total({ ray_id: 'anonymous' }), 1);
  assert.equal(total({ ray_id: 'anonymous', ray_idOp: 'neq' }), 10);
  assert.equal(total({ non_identity: 'true' }), 1);
  store.close();
});

test('a RayID already indexed is skipped: a replayed record is one event', () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  assert.equal(store.add(eventSeries(3)), 3);
  assert.equal(store.add(eventSeries(3)), 0);
  assert.equal(store.add([accessEvent({ rayId: '' }), accessEvent({ rayId: '' })]), 2, 'events without a RayID are never taken for duplicates');
  assert.equal(store.size(), 5);
  store.close();
});

test('retention: allowed events go after their six months, denied after their week, by the injected clock', () => {
  let now = T0_MS;
  const store = createAccessLogStore({ now: () => now });
  store.add([
    accessEvent({ rayId: 'allowed-old', createdAtNs: T0_NS - 100n * 86_400_000_000_000n }),
    accessEvent({ rayId: 'denied-new', allowed: false, createdAtNs: T0_NS - 86_400_000_000_000n }),
    accessEvent({ rayId: 'denied-old', allowed: false, createdAtNs: T0_NS - 6n * 86_400_000_000_000n }),
  ]);
  assert.equal(store.prune(), 0);
  now = T0_MS + 2 * DAY_MS;
  assert.equal(store.prune(), 1, 'the denied event of 6 days ago is now 8 days old');
  now = T0_MS + 84 * DAY_MS;
  assert.equal(store.prune(), 2, 'the allowed event turns 184 days old, the other denied one 85');
  assert.equal(store.size(), 0);
  store.close();
});

test('retention is configurable, and events already past it are not stored at all', () => {
  const store = createAccessLogStore({ now: () => T0_MS, retention: { allowedMs: 60 * 60_000, deniedMs: 60_000 } });
  const stored = store.add([
    accessEvent({ rayId: 'a-30min', createdAtNs: T0_NS - 30n * MINUTE_NS }),
    accessEvent({ rayId: 'a-2h', createdAtNs: T0_NS - 120n * MINUTE_NS }),
    accessEvent({ rayId: 'd-30s', allowed: false, createdAtNs: T0_NS - MINUTE_NS / 2n }),
    accessEvent({ rayId: 'd-5min', allowed: false, createdAtNs: T0_NS - 5n * MINUTE_NS }),
  ]);
  assert.equal(stored, 2);
  assert.deepEqual(store.query(query({ direction: 'asc' })).rows.map((row) => row.rayId), ['a-30min', 'd-30s']);
  store.close();
});

test('a file index keeps its events and topic positions across restarts, and clear() empties both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-access-index-'));
  try {
    const path = join(dir, 'access.sqlite');
    const first = createAccessLogStore({ path, now: () => T0_MS });
    first.add(eventSeries(4), [{ partition: 0, nextOffset: 3 }, { partition: 2, nextOffset: 1 }]);
    first.add([], [{ partition: 0, nextOffset: 7 }]);
    first.close();
    const second = createAccessLogStore({ path, now: () => T0_MS });
    assert.equal(second.size(), 4);
    assert.deepEqual([...second.positions()].sort(), [[0, 7], [2, 1]]);
    second.clear();
    assert.equal(second.size(), 0);
    assert.equal(second.positions().size, 0);
    second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('paging skips whole pages, and total counts every match', () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  store.add(eventSeries(25));
  const page = store.query(query({ per_page: '10', page: '3' }));
  assert.equal(page.rows.length, 5);
  assert.equal(page.total, 25);
  assert.equal(page.rows[0]?.createdAtNs, T0_NS - 20n * MINUTE_NS);
  assert.equal(page.totalIsLowerBound, false);
  store.close();
});

test('past 10,000 matches beyond the page the count stops, and says it is a lower bound', () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  const many = Array.from({ length: 10_100 }, (_, i) => accessEvent({ rayId: `r${i}`, createdAtNs: T0_NS - BigInt(i) * 1_000_000n }));
  store.add(many);
  const page = store.query(query({ limit: '25' }));
  assert.equal(page.total, 10_025);
  assert.equal(page.totalIsLowerBound, true);
  assert.equal(store.query(query({ limit: '200' })).total, 10_100, 'a larger page counts further, here to the end');
  store.close();
});

test('the queries walk the account/time and account/email/time indexes instead of scanning or sorting', () => {
  const db = new Database(':memory:');
  db.exec(ACCESS_INDEX_SCHEMA);
  const plan = (params: Record<string, string>): string => {
    const built = buildQuery(query(params));
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${built.select}`).all({ ...built.params, take: 25, skip: 0 }) as { detail: string }[];
    return rows.map((row) => row.detail).join(' | ');
  };
  assert.match(plan({}), /USING INDEX access_events_account_time \(account_id=\?\)/);
  assert.doesNotMatch(plan({}), /TEMP B-TREE/);
  assert.match(plan({ since: '2026-01-01T00:00:00Z', until: '2026-02-01T00:00:00Z' }), /USING INDEX access_events_account_time \(account_id=\? AND created_at_ns>\? AND created_at_ns<\?\)/);
  assert.match(plan({ email: 'alice@example.com', email_exact: 'true' }), /USING INDEX access_events_account_email_time \(account_id=\? AND user_email=\?\)/);
  assert.doesNotMatch(plan({ email: 'alice@example.com', email_exact: 'true', direction: 'asc' }), /TEMP B-TREE/);
  assert.match(plan({ allowed: 'false' }), /USING INDEX access_events_account_allowed_time \(account_id=\? AND allowed=\?\)/);
  assert.doesNotMatch(plan({ allowed: 'false' }), /TEMP B-TREE/);
  db.close();
});

test('the denied attempts of the addresses an email substring matches are counted from the email index alone, never row by row', () => {
  const db = new Database(':memory:');
  db.exec(ACCESS_INDEX_SCHEMA);
  const built = buildQuery(query({ email: 'user19', allowed: 'false' }), { select: 'by-email', count: 'by-email' });
  const plan = (sql: string): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ ...built.params, take: 25, skip: 0, cap: 10_025 }) as { detail: string }[]).map((row) => row.detail).join(' | ');
  assert.match(plan(built.count), /USING COVERING INDEX access_events_account_email_allowed_time \(account_id=\? AND user_email=\? AND allowed=\?\)/);
  assert.match(plan(built.select), /USING COVERING INDEX access_events_account_email_allowed_time \(account_id=\? AND user_email=\? AND allowed=\?\)/);
  db.close();
});
