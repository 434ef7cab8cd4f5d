// Turns a checked access-log query into SQL over the index: parameters bound, never spliced, shaped to use its indexes.
import type { AccessLogFilter, AccessLogQuery } from './access-log-query.js';
import { isEmailSetFilter, matchingEmails } from './email-strategy.js';
import type { EmailStrategy } from './email-strategy.js';

/** How the statements find the events of a substring or exclusion email filter (ignored without one); default by-time. */
export interface EmailStrategies {
  readonly select: EmailStrategy;
  readonly count: EmailStrategy;
}

export interface BuiltQuery {
  /** The page of events, newest (or oldest) first. */
  readonly select: string;
  /** How many events match, for result_info: counted no further than `$cap` (takes `$cap`). */
  readonly count: string;
  /** For both statements: the WHERE clause's values. `select` also takes `$take` and `$skip`. */
  readonly params: Readonly<Record<string, string | number | bigint>>;
}

/** Columns the API's fields are read from. */
export const EVENT_COLUMNS = 'id, created_at_ns, user_email, ip_address, app_uid, app_domain, app_type, action, allowed, connection, country, ray_id, user_uid, deny_reason_code, deny_reason';

const TEXT_COLUMNS: Readonly<Record<string, string>> = {
  app_uid: 'app_uid',
  app_type: 'app_type',
  // Countries are ISO codes whatever their case in the token.
  country_code: 'country COLLATE NOCASE',
  idp: 'connection',
  ray_id: 'ray_id',
};

const EMAIL_INDEX = 'access_events INDEXED BY access_events_account_email_time';
/** With an `allowed` filter: its entries are in time order per address and answer the filter without reading rows. */
const EMAIL_ALLOWED_INDEX = 'access_events INDEXED BY access_events_account_email_allowed_time';

/**
 * `account_id = ? [AND created_at_ns >= ? AND created_at_ns < ?] AND …`: the account and the time
 * range lead, so SQLite walks (account_id, created_at_ns), or (account_id, user_email, created_at_ns)
 * for an exact email, in the order asked and stops after the page.
 *
 * A substring or exclusion email filter becomes `user_email IN (the account's matching addresses)`:
 * by email, SQLite seeks each address in the email index and sorts only the ids of the matches
 * (the rows of the page are read last); by time, the `+` keeps it off that index, so it walks the
 * time index and stops after the page.
 */
export function buildQuery(query: AccessLogQuery, strategies: EmailStrategies = { select: 'by-time', count: 'by-time' }): BuiltQuery {
  const params: Record<string, string | number | bigint> = { account: query.accountId };
  const shape = (strategy: EmailStrategy): string => clause(query, strategy, params);
  const order = query.direction === 'asc' ? 'ASC' : 'DESC';
  const orderBy = `ORDER BY created_at_ns ${order}, id ${order}`;
  const emailSet = query.filters.some(isEmailSetFilter);
  const byEmail = (strategy: EmailStrategy): boolean => emailSet && strategy === 'by-email';
  const emailIndex = query.filters.some((filter) => filter.name === 'allowed') ? EMAIL_ALLOWED_INDEX : EMAIL_INDEX;
  const where = shape(strategies.select);
  const countWhere = shape(strategies.count);
  return {
    select: byEmail(strategies.select)
      ? `SELECT ${EVENT_COLUMNS} FROM access_events WHERE id IN (SELECT id FROM ${emailIndex} WHERE ${where} ${orderBy} LIMIT $take OFFSET $skip) ${orderBy}`
      : `SELECT ${EVENT_COLUMNS} FROM access_events WHERE ${where} ${orderBy} LIMIT $take OFFSET $skip`,
    // Counting every match of a busy account walks its whole index; past the cap the count stops.
    count: `SELECT count(*) AS total FROM (SELECT 1 FROM ${byEmail(strategies.count) ? emailIndex : 'access_events'} WHERE ${countWhere} LIMIT $cap)`,
    params,
  };
}

/** The WHERE clause; fills `params` with its values. */
function clause(query: AccessLogQuery, strategy: EmailStrategy, params: Record<string, string | number | bigint>): string {
  const where = ['account_id = $account'];
  if (query.sinceNs !== undefined) {
    where.push('created_at_ns >= $since');
    params['since'] = query.sinceNs;
  }
  if (query.untilNs !== undefined) {
    where.push('created_at_ns < $until');
    params['until'] = query.untilNs;
  }
  query.filters.forEach((filter, index) => {
    const name = `f${index}`;
    where.push(isEmailSetFilter(filter) ? `${strategy === 'by-time' ? '+' : ''}user_email IN (${matchingEmails(filter.op, name)})` : condition(filter, name));
    const wanted = filter.name === 'allowed' && filter.op === 'neq' ? !filter.value : filter.value;
    params[name] = typeof wanted === 'boolean' ? (wanted ? 1 : 0) : wanted;
  });
  return where.join(' AND ');
}

function condition(filter: AccessLogFilter, name: string): string {
  switch (filter.name) {
    case 'email':
      return `user_email = $${name}`;
    case 'allowed':
      // Always an equality (allowedOp=neq asks for the other value: see clause), so that an index seeks it.
      return `allowed = $${name}`;
    case 'non_identity':
      // An attempt without a trusted identity (no token, a forged one) has no email.
      return `(user_email = '') ${filter.op === 'eq' ? '=' : '<>'} $${name}`;
    default:
      return `${TEXT_COLUMNS[filter.name]} ${filter.op === 'eq' ? '=' : '<>'} $${name}`;
  }
}
