import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseAccessLogQuery } from '../../src/access-logs/access-log-query.js';
import type { AccessLogQuery } from '../../src/access-logs/access-log-query.js';
import { createAccessLogStore } from '../../src/access-logs/access-log-store.js';
import type { AccessLogStore } from '../../src/access-logs/access-log-store.js';
import { ACCOUNT_A, ACCOUNT_B, MINUTE_NS, T0_MS, T0_NS, accessEvent, eventSeries } from './sample-events.js';

const DAY_MS = 86_400_000;
const DAY_NS = 86_400_000_000_000n;

type Counts = Record<string, number>;

/** A store in a temporary file, with a second connection that reads its tables. */
function withFileStore(run: (store: AccessLogStore, tables: { emails(): Counts; fromEvents(): Counts }, path: string) => void, now: () => number = () => T0_MS): void {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-access-emails-'));
  const path = join(dir, 'access.sqlite');
  const store = createAccessLogStore({ path, now });
  const reader = new Database(path, { readonly: true });
  const read = (sql: string): Counts => Object.fromEntries((reader.prepare(sql).all() as { k: string; n: number }[]).map((row) => [row.k, row.n]));
  try {
    run(
      store,
      {
        emails: () => read("SELECT account_id || ' ' || user_email AS k, events AS n FROM access_emails"),
        fromEvents: () => read("SELECT account_id || ' ' || user_email AS k, count(*) AS n FROM access_events GROUP BY account_id, user_email"),
      },
      path,
    );
  } finally {
    reader.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('access_emails counts each address of each account as events are stored', () => {
  withFileStore((store, tables) => {
    store.add([...eventSeries(5), accessEvent({ accountId: ACCOUNT_B, rayId: 'b-1' }), accessEvent({ rayId: 'anon', userEmail: '' })]);
    assert.deepEqual(tables.emails(), { [`${ACCOUNT_A} alice@example.com`]: 3, [`${ACCOUNT_A} bob@corp.example.org`]: 2, [`${ACCOUNT_A} `]: 1, [`${ACCOUNT_B} alice@example.com`]: 1 });
    assert.deepEqual(tables.emails(), tables.fromEvents());
  });
});

test('a replayed RayID adds no count; events without a RayID each count', () => {
  withFileStore((store, tables) => {
    store.add(eventSeries(4));
    const before = tables.emails();
    assert.equal(store.add(eventSeries(4)), 0);
    assert.deepEqual(tables.emails(), before);
    store.add([accessEvent({ rayId: '' }), accessEvent({ rayId: '' })]);
    assert.equal(tables.emails()[`${ACCOUNT_A} alice@example.com`], 4);
    assert.deepEqual(tables.emails(), tables.fromEvents());
  });
});

test('retention sweeps lower the counts and drop addresses left with no events, in the same transaction', () => {
  let now = T0_MS;
  withFileStore(
    (store, tables) => {
      store.add([
        accessEvent({ rayId: 'carol-old', userEmail: 'carol@example.com', createdAtNs: T0_NS - 100n * DAY_NS }),
        accessEvent({ rayId: 'alice-denied', allowed: false, createdAtNs: T0_NS - 6n * DAY_NS }),
        accessEvent({ rayId: 'alice-new', createdAtNs: T0_NS - MINUTE_NS }),
      ]);
      now = T0_MS + 2 * DAY_MS;
      assert.equal(store.prune(), 1);
      assert.deepEqual(tables.emails(), { [`${ACCOUNT_A} alice@example.com`]: 1, [`${ACCOUNT_A} carol@example.com`]: 1 });
      now = T0_MS + 84 * DAY_MS;
      assert.equal(store.prune(), 1);
      assert.deepEqual(tables.emails(), { [`${ACCOUNT_A} alice@example.com`]: 1 });
      assert.equal(store.query(queryOf({ email: 'carol' })).total, 0);
    },
    () => now,
  );
});

test('clear() empties access_emails with the events, and a rebuild counts them again', () => {
  withFileStore((store, tables) => {
    store.add(eventSeries(6), [{ partition: 0, nextOffset: 6 }]);
    store.clear();
    assert.deepEqual(tables.emails(), {});
    store.add(eventSeries(3));
    assert.deepEqual(tables.emails(), { [`${ACCOUNT_A} alice@example.com`]: 2, [`${ACCOUNT_A} bob@corp.example.org`]: 1 });
    assert.deepEqual(tables.emails(), tables.fromEvents());
  });
});

test('an index file from before access_emails existed gets it filled once, when opened', () => {
  withFileStore((store, tables, path) => {
    store.add(eventSeries(7));
    store.close();
    const old = new Database(path);
    old.exec('DROP TABLE access_emails; DROP TRIGGER access_emails_on_insert; DROP TRIGGER access_emails_on_delete; DROP TRIGGER access_emails_on_update;');
    old.close();
    const reopened = createAccessLogStore({ path, now: () => T0_MS });
    try {
      assert.deepEqual(tables.emails(), { [`${ACCOUNT_A} alice@example.com`]: 4, [`${ACCOUNT_A} bob@corp.example.org`]: 3 });
      assert.equal(reopened.query(queryOf({ email: 'bob' })).total, 3);
    } finally {
      reopened.close();
    }
  });
});

function queryOf(params: Record<string, string>): AccessLogQuery {
  const parsed = parseAccessLogQuery(ACCOUNT_A, params);
  assert.ok(parsed.ok);
  return parsed.query;
}
