import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import type { AccessLogEvent } from '../../src/access-logs/access-log-event.js';
import { parseAccessLogQuery } from '../../src/access-logs/access-log-query.js';
import type { AccessLogFilter, AccessLogQuery } from '../../src/access-logs/access-log-query.js';
import { COUNT_BEYOND_PAGE, createAccessLogStore } from '../../src/access-logs/access-log-store.js';
import type { EmailStrategy } from '../../src/access-logs/email-strategy.js';
import { ACCESS_INDEX_SCHEMA } from '../../src/access-logs/index-schema.js';
import { buildQuery } from '../../src/access-logs/query-builder.js';
import { ACCOUNT_A, ACCOUNT_B, MINUTE_NS, T0_MS, T0_NS, accessEvent } from './sample-events.js';

const RUNS = { numRuns: 300 };
const STRATEGIES: readonly EmailStrategy[] = ['by-email', 'by-time'];

/** Few letters, both cases and a non-ASCII one: substrings collide often and case matters. */
const text = (maxLength: number) => fc.string({ unit: fc.constantFrom('a', 'b', 'A', '@', '.', 'é'), maxLength });

const eventArb = fc.record({
  account: fc.constantFrom(ACCOUNT_A, ACCOUNT_A, ACCOUNT_B),
  email: text(5),
  allowed: fc.boolean(),
  // Few minutes: ties in time are common, and broken by insertion order.
  minute: fc.integer({ min: 0, max: 30 }),
  rayId: fc.constantFrom('', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'),
});

const paramsArb = fc
  .record({
    email: text(3),
    mode: fc.constantFrom('contains', 'contains-op', 'neq', 'exact', 'exact-op', 'neq-exact'),
    direction: fc.constantFrom('asc', 'desc'),
    perPage: fc.integer({ min: 1, max: 8 }),
    page: fc.integer({ min: 1, max: 4 }),
    allowed: fc.constantFrom(undefined, 'true', 'false'),
    since: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    span: fc.integer({ min: 1, max: 31 }),
  })
  .map((p): Record<string, string> => {
    const params: Record<string, string> = { email: p.email, direction: p.direction, per_page: String(p.perPage), page: String(p.page) };
    if (p.mode === 'contains-op') params['emailOp'] = 'contains';
    if (p.mode === 'neq' || p.mode === 'neq-exact') params['emailOp'] = 'neq';
    if (p.mode === 'exact' || p.mode === 'neq-exact') params['email_exact'] = 'true';
    if (p.mode === 'exact-op') params['emailOp'] = 'eq';
    if (p.allowed !== undefined) params['allowed'] = p.allowed;
    if (p.since !== undefined) {
      params['since'] = minuteIso(p.since);
      params['until'] = minuteIso(p.since + p.span);
    }
    return params;
  });

function minuteIso(minute: number): string {
  return new Date(T0_MS - 60 * 60_000 + minute * 60_000).toISOString();
}

type DrawnEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function toEvent(e: DrawnEvent): AccessLogEvent {
  return accessEvent({ accountId: e.account, userEmail: e.email, allowed: e.allowed, createdAtNs: T0_NS - 60n * MINUTE_NS + BigInt(e.minute) * MINUTE_NS, rayId: e.rayId });
}

interface Expected {
  ids: number[];
  total: number;
  totalIsLowerBound: boolean;
}

/** The answer by brute force: what is stored (first of each account's RayIDs), filtered, sorted and paged in JavaScript. */
function bruteForce(events: readonly AccessLogEvent[], query: AccessLogQuery): Expected {
  const seen = new Set<string>();
  const stored: { id: number; event: AccessLogEvent }[] = [];
  for (const event of events) {
    const key = `${event.accountId} ${event.rayId}`;
    if (event.rayId !== '' && seen.has(key)) continue;
    seen.add(key);
    stored.push({ id: stored.length + 1, event });
  }
  const matches = stored.filter(({ event }) => event.accountId === query.accountId && (query.sinceNs === undefined || event.createdAtNs >= query.sinceNs) && (query.untilNs === undefined || event.createdAtNs < query.untilNs) && query.filters.every((filter) => passes(filter, event)));
  const sign = query.direction === 'asc' ? 1 : -1;
  matches.sort((x, y) => sign * (x.event.createdAtNs === y.event.createdAtNs ? x.id - y.id : x.event.createdAtNs < y.event.createdAtNs ? -1 : 1));
  const cap = query.skip + query.take + COUNT_BEYOND_PAGE;
  const total = Math.min(matches.length, cap);
  return { ids: matches.slice(query.skip, query.skip + query.take).map((m) => m.id), total, totalIsLowerBound: total >= cap };
}

function passes(filter: AccessLogFilter, event: AccessLogEvent): boolean {
  switch (filter.name) {
    case 'email':
      if (filter.op === 'eq') return event.userEmail === filter.value;
      if (filter.op === 'neq') return event.userEmail !== filter.value;
      return event.userEmail.includes(filter.value) === (filter.op === 'contains');
    case 'allowed':
      return (event.allowed === filter.value) === (filter.op === 'eq');
    default:
      throw new Error(`the property draws no ${filter.name} filter`);
  }
}

function parsed(params: Record<string, string>): AccessLogQuery {
  const result = parseAccessLogQuery(ACCOUNT_A, params);
  assert.ok(result.ok);
  return result.query;
}

test('substring, exclusion and exact email filters answer what a brute-force filter over the same events does', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 60 }), paramsArb, (drawn, params) => {
      const events = drawn.map(toEvent);
      const query = parsed(params);
      const store = createAccessLogStore({ now: () => T0_MS });
      try {
        store.add(events);
        const page = store.query(query);
        assert.deepEqual({ ids: page.rows.map((row) => row.id), total: page.total, totalIsLowerBound: page.totalIsLowerBound }, bruteForce(events, query));
      } finally {
        store.close();
      }
    }),
    RUNS,
  );
});

test('both strategies, for the page and for the count, give the same answer', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 60 }), paramsArb, (drawn, params) => {
      const events = drawn.map(toEvent);
      const query = parsed(params);
      const expected = bruteForce(events, query);
      const db = new Database(':memory:');
      try {
        db.exec(ACCESS_INDEX_SCHEMA);
        const insert = db.prepare('INSERT OR IGNORE INTO access_events (account_id, created_at_ns, user_email, ip_address, app_uid, app_domain, app_type, action, allowed, connection, country, ray_id, user_uid, deny_reason_code, deny_reason) VALUES (?, ?, ?, \'\', \'\', \'\', \'\', \'\', ?, \'\', \'\', ?, \'\', \'\', \'\')');
        for (const e of events) insert.run(e.accountId, e.createdAtNs, e.userEmail, e.allowed ? 1 : 0, e.rayId === '' ? null : e.rayId);
        const cap = query.skip + query.take + COUNT_BEYOND_PAGE;
        for (const select of STRATEGIES) {
          for (const count of STRATEGIES) {
            const built = buildQuery(query, { select, count });
            const ids = (db.prepare(built.select).all({ ...built.params, take: query.take, skip: query.skip }) as { id: number }[]).map((row) => row.id);
            const { total } = db.prepare(built.count).get({ ...built.params, cap }) as { total: number };
            assert.deepEqual({ ids, total }, { ids: expected.ids, total: expected.total }, `select ${select}, count ${count}`);
          }
        }
      } finally {
        db.close();
      }
    }),
    RUNS,
  );
});

test('past the count cap a substring match says its total is a lower bound, whichever index counts', () => {
  const store = createAccessLogStore({ now: () => T0_MS });
  const many = Array.from({ length: 10_100 }, (_, i) => accessEvent({ rayId: `r${i}`, userEmail: i % 2 === 0 ? 'alice@example.com' : 'bob@example.com', createdAtNs: T0_NS - BigInt(i) * 1_000_000n }));
  store.add(many);
  // '@example' matches every event (counted walking time), 'alice' half (counted by address), 'carol' none.
  const common = store.query(parsed({ email: '@example', limit: '25' }));
  assert.deepEqual([common.total, common.totalIsLowerBound, common.rows.length], [10_025, true, 25]);
  const half = store.query(parsed({ email: 'alice', limit: '25' }));
  assert.deepEqual([half.total, half.totalIsLowerBound, half.rows[1]?.createdAtNs], [5_050, false, T0_NS - 2_000_000n]);
  const none = store.query(parsed({ email: 'carol' }));
  assert.deepEqual([none.total, none.totalIsLowerBound, none.rows.length], [0, false, 0]);
  store.close();
});
