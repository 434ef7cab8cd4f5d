// The embedded SQLite index of Access authentication events: one per API instance, filled from Kafka, which stays the source of truth.
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { DEFAULT_ACCESS_RETENTION } from '@sluice/kafka';
import type { AccessRetention } from '@sluice/kafka';
import type { AccessLogEvent } from './access-log-event.js';
import type { AccessLogQuery } from './access-log-query.js';
import { chooseEmailStrategy, emailCountsSql, emailSetFilter } from './email-strategy.js';
import type { EmailCounts } from './email-strategy.js';
import { ACCESS_INDEX_SCHEMA, BACKFILL_ACCESS_EMAILS } from './index-schema.js';
import { buildQuery } from './query-builder.js';
import type { EmailStrategies } from './query-builder.js';

export interface AccessLogStoreOptions {
  /** The SQLite file; default `:memory:`, an index rebuilt from Kafka at every start. A file is caught up from where it was. */
  path?: string;
  /** How long each kind of event is kept; default DEFAULT_ACCESS_RETENTION (allowed 183 days, denied 7). */
  retention?: AccessRetention;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

/** Where the index has read the topic up to: the next offset of each partition. */
export interface IngestPosition {
  readonly partition: number;
  readonly nextOffset: number;
}

export interface AccessLogRow extends AccessLogEvent {
  /** Insertion order: breaks ties between events of the same nanosecond. */
  readonly id: number;
}

export interface AccessLogPage {
  readonly rows: readonly AccessLogRow[];
  /** Events matching the query in all pages, counted up to COUNT_BEYOND_PAGE past the page's end. */
  readonly total: number;
  /** The count stopped at its cap: there are at least `total` matches. */
  readonly totalIsLowerBound: boolean;
}

/** How far past the requested page matches are counted: exact totals for browsing, bounded work for a busy account. */
export const COUNT_BEYOND_PAGE = 10_000;

export interface AccessLogStore {
  /**
   * Stores events and, in the same transaction, how far the topic was read: a crash never keeps one
   * without the other. Events past their retention and RayIDs already stored (a replayed record) are
   * skipped. Returns how many were stored.
   */
  add(events: readonly AccessLogEvent[], positions?: readonly IngestPosition[]): number;
  positions(): ReadonlyMap<number, number>;
  /** Empties the index and its positions: the topic was recreated, so it is read again from the start. */
  clear(): void;
  query(query: AccessLogQuery): AccessLogPage;
  /** Deletes allowed events older than their retention, and denied ones older than theirs; returns how many. */
  prune(): number;
  size(): number;
  close(): void;
}


/** Distinct query shapes (filter combinations) whose prepared statements are kept. */
const STATEMENT_CACHE_SIZE = 256;
const NS_PER_MS = 1_000_000n;

interface EventRow {
  id: bigint;
  created_at_ns: bigint;
  user_email: string;
  ip_address: string;
  app_uid: string;
  app_domain: string;
  app_type: string;
  action: string;
  allowed: bigint;
  connection: string;
  country: string;
  ray_id: string | null;
  user_uid: string;
  deny_reason_code: string;
  deny_reason: string;
}

/** SQLite's page cache for the index, KiB. */
const PAGE_CACHE_KIB = 64 * 1024;

export function createAccessLogStore(options: AccessLogStoreOptions = {}): AccessLogStore {
  const db = new Database(options.path ?? ':memory:');
  const retention = options.retention ?? DEFAULT_ACCESS_RETENTION;
  const now = options.now ?? Date.now;
  if (options.path !== undefined && options.path !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // The index can always be rebuilt from Kafka: a power cut may cost its last transactions, never its consistency.
    db.pragma('synchronous = NORMAL');
  }
  // Six indexes on a million events do not fit SQLite's default 2 MiB page cache: filling would read its own pages back from the kernel.
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  db.transaction(() => {
    // A file from before access_emails existed gets it filled once, with the table, atomically.
    const hadEmails = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'access_emails'").get() !== undefined;
    db.exec(ACCESS_INDEX_SCHEMA);
    if (!hadEmails) db.exec(BACKFILL_ACCESS_EMAILS);
  })();

  const insert = db.prepare(`INSERT OR IGNORE INTO access_events (account_id, created_at_ns, user_email, ip_address, app_uid, app_domain, app_type, action, allowed, connection, country, ray_id, user_uid, deny_reason_code, deny_reason)
    VALUES (@accountId, @createdAtNs, @userEmail, @ipAddress, @appUid, @appDomain, @appType, @action, @allowed, @connection, @country, @rayId, @userUid, @denyReasonCode, @denyReason)`);
  const savePosition = db.prepare('INSERT INTO ingest_positions (partition, next_offset) VALUES (?, ?) ON CONFLICT (partition) DO UPDATE SET next_offset = excluded.next_offset');
  const readPositions = db.prepare<[], { partition: number; next_offset: number }>('SELECT partition, next_offset FROM ingest_positions');
  const pruneKind = db.prepare('DELETE FROM access_events WHERE allowed = ? AND created_at_ns < ?');
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM access_events');
  const cutoffs = (): { allowed: bigint; denied: bigint } => {
    const nowNs = BigInt(Math.floor(now())) * NS_PER_MS;
    return { allowed: nowNs - BigInt(retention.allowedMs) * NS_PER_MS, denied: nowNs - BigInt(retention.deniedMs) * NS_PER_MS };
  };

  const addAll = db.transaction((events: readonly AccessLogEvent[], positions: readonly IngestPosition[]): number => {
    const cutoff = cutoffs();
    let stored = 0;
    for (const event of events) {
      if (event.createdAtNs < (event.allowed ? cutoff.allowed : cutoff.denied)) continue;
      stored += insert.run({ ...event, allowed: event.allowed ? 1 : 0, rayId: event.rayId === '' ? null : event.rayId }).changes;
    }
    for (const position of positions) savePosition.run(position.partition, position.nextOffset);
    return stored;
  });

  const selects = new Map<string, Statement>();
  const counts = new Map<string, Statement>();
  const emailCounts = new Map<string, Statement>();
  const prepared = (cache: Map<string, Statement>, sql: string, safe: boolean): Statement => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      statement = db.prepare(sql);
      if (safe) statement.safeIntegers(true);
      cache.set(sql, statement);
    }
    return statement;
  };

  return {
    add: (events, positions = []) => addAll(events, positions),
    positions: () => new Map(readPositions.all().map((row) => [row.partition, row.next_offset])),
    clear() {
      // access_emails first: the delete trigger then finds nothing to update for each event.
      db.transaction(() => db.exec('DELETE FROM access_emails; DELETE FROM access_events; DELETE FROM ingest_positions;'))();
    },
    query(query) {
      const cap = query.skip + query.take + COUNT_BEYOND_PAGE;
      let strategies: EmailStrategies | undefined;
      const emailSet = emailSetFilter(query);
      if (emailSet !== undefined) {
        const statement = prepared(emailCounts, emailCountsSql(emailSet.filter.op, emailSet.param), false);
        const found = statement.get({ account: query.accountId, [emailSet.param]: emailSet.filter.value }) as EmailCounts;
        // No address matches: nothing to look for among the events.
        if (found.matched === 0) return { rows: [], total: 0, totalIsLowerBound: false };
        strategies = { select: chooseEmailStrategy(found, query.skip + query.take), count: chooseEmailStrategy(found, cap) };
      }
      const built = buildQuery(query, strategies);
      const rows = prepared(selects, built.select, true).all({ ...built.params, take: query.take, skip: query.skip }) as EventRow[];
      const { total } = prepared(counts, built.count, false).get({ ...built.params, cap }) as { total: number };
      return { rows: rows.map((row) => toRow(row, query.accountId)), total, totalIsLowerBound: total >= cap };
    },
    prune() {
      const cutoff = cutoffs();
      return pruneKind.run(1, cutoff.allowed).changes + pruneKind.run(0, cutoff.denied).changes;
    },
    size: () => countAll.get()?.n ?? 0,
    close() {
      if (db.open) db.close();
    },
  };
}

function toRow(row: EventRow, accountId: string): AccessLogRow {
  return {
    id: Number(row.id),
    accountId,
    createdAtNs: row.created_at_ns,
    userEmail: row.user_email,
    ipAddress: row.ip_address,
    appUid: row.app_uid,
    appDomain: row.app_domain,
    appType: row.app_type,
    action: row.action,
    allowed: row.allowed === 1n,
    connection: row.connection,
    country: row.country,
    rayId: row.ray_id ?? '',
    userUid: row.user_uid,
    denyReasonCode: row.deny_reason_code,
    denyReason: row.deny_reason,
  };
}
