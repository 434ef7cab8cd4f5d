// The index's tables: events with the indexes the API's queries walk, and how far the topic was read.
//
// (account_id, created_at_ns): an account's newest or oldest events, in a time range.
// (account_id, user_email, created_at_ns): one user's events, exactly matched.
// (account_id, allowed, created_at_ns): only the denied (or allowed) attempts, the dashboard's usual filter.
// (account_id, user_email, allowed, created_at_ns): the denied (or allowed) attempts of the addresses an
//   email substring matches, in time order, from the index alone (the dashboard's "denied, email contains …").
// (account_id, ray_id) unique: a record delivered twice (a replay after a broker outage) is one event.
// (allowed, created_at_ns): retention deletes each kind's oldest events without a scan.
// Times are integer nanoseconds since the epoch (SQLite integers are 64-bit: exact until 2262).
//
// access_emails: each account's distinct addresses with how many events each has. A substring (or
// exclusion) filter on email reads it first — a scan over users, not events — and the store picks
// an index from the counts (email-strategy.ts). Triggers keep it in step with access_events in the
// same transaction, whatever changes the events: ingest, retention sweeps, clear().
export const ACCESS_INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS access_events (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL,
  user_email TEXT NOT NULL,
  ip_address TEXT NOT NULL,
  app_uid TEXT NOT NULL,
  app_domain TEXT NOT NULL,
  app_type TEXT NOT NULL,
  action TEXT NOT NULL,
  allowed INTEGER NOT NULL,
  connection TEXT NOT NULL,
  country TEXT NOT NULL,
  ray_id TEXT,
  user_uid TEXT NOT NULL,
  deny_reason_code TEXT NOT NULL,
  deny_reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_events_account_time ON access_events (account_id, created_at_ns);
CREATE INDEX IF NOT EXISTS access_events_account_email_time ON access_events (account_id, user_email, created_at_ns);
CREATE INDEX IF NOT EXISTS access_events_account_allowed_time ON access_events (account_id, allowed, created_at_ns);
CREATE INDEX IF NOT EXISTS access_events_account_email_allowed_time ON access_events (account_id, user_email, allowed, created_at_ns);
CREATE UNIQUE INDEX IF NOT EXISTS access_events_ray ON access_events (account_id, ray_id);
CREATE INDEX IF NOT EXISTS access_events_expiry ON access_events (allowed, created_at_ns);
CREATE TABLE IF NOT EXISTS access_emails (
  account_id TEXT NOT NULL,
  user_email TEXT NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (account_id, user_email)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS access_emails_on_insert AFTER INSERT ON access_events BEGIN
  INSERT INTO access_emails (account_id, user_email, events) VALUES (new.account_id, new.user_email, 1)
    ON CONFLICT (account_id, user_email) DO UPDATE SET events = events + 1;
END;
CREATE TRIGGER IF NOT EXISTS access_emails_on_delete AFTER DELETE ON access_events BEGIN
  UPDATE access_emails SET events = events - 1 WHERE account_id = old.account_id AND user_email = old.user_email;
  DELETE FROM access_emails WHERE account_id = old.account_id AND user_email = old.user_email AND events <= 0;
END;
CREATE TRIGGER IF NOT EXISTS access_emails_on_update AFTER UPDATE OF account_id, user_email ON access_events BEGIN
  UPDATE access_emails SET events = events - 1 WHERE account_id = old.account_id AND user_email = old.user_email;
  DELETE FROM access_emails WHERE account_id = old.account_id AND user_email = old.user_email AND events <= 0;
  INSERT INTO access_emails (account_id, user_email, events) VALUES (new.account_id, new.user_email, 1)
    ON CONFLICT (account_id, user_email) DO UPDATE SET events = events + 1;
END;
CREATE TABLE IF NOT EXISTS ingest_positions (partition INTEGER PRIMARY KEY, next_offset INTEGER NOT NULL);
`;

/**
 * Fills access_emails from the events of an index file made before the table existed: run once, in
 * the transaction that creates it.
 */
export const BACKFILL_ACCESS_EMAILS = `
INSERT INTO access_emails (account_id, user_email, events)
  SELECT account_id, user_email, count(*) FROM access_events GROUP BY account_id, user_email;
`;
