// An indexed event as the API answers it: the Access API's snake_case fields, the deny reason on denied events only.
import type { AccessLogRow } from './access-log-store.js';
import type { ResultField } from './access-log-query.js';

export interface AccessLogView {
  user_email?: string;
  ip_address?: string;
  app_uid?: string;
  app_domain?: string;
  action?: string;
  allowed?: boolean;
  created_at?: string;
  connection?: string;
  country?: string;
  ray_id?: string;
  app_type?: string;
  /** Sluice's: the gateway's IDENTITY_* code, on denied events. Clients that do not know it ignore it. */
  deny_reason_code?: string;
  /** Sluice's: why, in words (e.g. `token expired`), on denied events. */
  deny_reason?: string;
}

const NS_PER_SECOND = 1_000_000_000n;

/** `2020-07-01T05:20:00.123456789Z`: RFC 3339 with every nanosecond the edge recorded. */
export function rfc3339Nanos(ns: bigint): string {
  let seconds = ns / NS_PER_SECOND;
  if (ns < seconds * NS_PER_SECOND) seconds -= 1n;
  const fraction = ns - seconds * NS_PER_SECOND;
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction.toString().padStart(9, '0')}Z`;
}

export function toAccessLogView(row: AccessLogRow, fields: readonly ResultField[] | undefined): AccessLogView {
  const full: AccessLogView = {
    user_email: row.userEmail,
    ip_address: row.ipAddress,
    app_uid: row.appUid,
    app_domain: row.appDomain,
    action: row.action,
    allowed: row.allowed,
    created_at: rfc3339Nanos(row.createdAtNs),
    connection: row.connection,
    country: row.country,
    ray_id: row.rayId,
    app_type: row.appType,
    ...(row.allowed ? {} : { deny_reason_code: row.denyReasonCode, deny_reason: row.denyReason }),
  };
  if (fields === undefined) return full;
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (full[field] !== undefined) picked[field] = full[field];
  return picked;
}
