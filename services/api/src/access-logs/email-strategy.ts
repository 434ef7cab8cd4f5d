// How a substring or exclusion filter on email is answered: the matching addresses come from access_emails, and their event counts choose the index.
import type { AccessLogFilter, AccessLogQuery } from './access-log-query.js';

type EmailFilter = Extract<AccessLogFilter, { name: 'email' }>;

/** An email filter matched against the account's distinct addresses; `eq` seeks the email index directly instead. */
export type EmailSetFilter = EmailFilter & { readonly op: 'contains' | 'not_contains' | 'neq' };

/**
 * - `by-email`: seek each matching address in (account_id, user_email, created_at_ns), then sort the
 *   matches by time. Costs about the matching events, whatever the page.
 * - `by-time`: walk (account_id, created_at_ns), or (account_id, allowed, created_at_ns), in the
 *   order asked, keep the rows whose address matches, and stop once the page (or count) is full.
 *   Costs about the page × the account's events ÷ the matching events, when matches are spread
 *   over time.
 */
export type EmailStrategy = 'by-email' | 'by-time';

/** Events of the account (all addresses), and of the addresses the filter matches. */
export interface EmailCounts {
  readonly events: number;
  readonly matched: number;
}

/**
 * How much more a row walked by time costs than an index entry visited by email: the walk reads
 * each event's row to test its address, the seeks read the (covering) email index alone. Measured
 * with the bench's access-index section.
 */
export const TIME_WALK_COST = 4;

export function isEmailSetFilter(filter: AccessLogFilter): filter is EmailSetFilter {
  return filter.name === 'email' && filter.op !== 'eq';
}

/** The query's email filter and the name of its bound value (as buildQuery names it), when access_emails answers it. */
export function emailSetFilter(query: AccessLogQuery): { readonly filter: EmailSetFilter; readonly param: string } | undefined {
  const index = query.filters.findIndex(isEmailSetFilter);
  const filter = query.filters[index];
  return filter !== undefined && isEmailSetFilter(filter) ? { filter, param: `f${index}` } : undefined;
}

/** Whether `user_email` passes the filter: the same test on an address as on each of its events. */
export function emailMatch(op: EmailSetFilter['op'], param: string): string {
  switch (op) {
    // instr, not LIKE: case-sensitive as the SDK documents, and no wildcards to escape.
    case 'contains':
      return `instr(user_email, $${param}) > 0`;
    case 'not_contains':
      return `instr(user_email, $${param}) = 0`;
    case 'neq':
      return `user_email <> $${param}`;
  }
}

/** The account's matching addresses, as the subquery of an `IN`. */
export function matchingEmails(op: EmailSetFilter['op'], param: string): string {
  return `SELECT user_email FROM access_emails WHERE account_id = $account AND ${emailMatch(op, param)}`;
}

/** Reads EmailCounts for the filter (takes `$account` and the filter's value): one pass over the account's addresses. */
export function emailCountsSql(op: EmailSetFilter['op'], param: string): string {
  return `SELECT total(events) AS events, total(events) FILTER (WHERE ${emailMatch(op, param)}) AS matched FROM access_emails WHERE account_id = $account`;
}

/** The cheaper strategy for finding `wanted` matching events (the page's end for a select, the cap for a count). */
export function chooseEmailStrategy(counts: EmailCounts, wanted: number): EmailStrategy {
  if (counts.matched <= 0) return 'by-email';
  const walked = Math.min(counts.events, (wanted * counts.events) / counts.matched);
  return walked * TIME_WALK_COST < counts.matched ? 'by-time' : 'by-email';
}
