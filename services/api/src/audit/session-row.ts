// One request of the user's session as the audit route answers it: the fields a reader needs, from whichever of them the job stores.
import type { TimestampFormat } from '@sluice/pipeline';
import { timestampEncoder } from '@sluice/pipeline';
import { parseRfc3339Nanos } from '@sluice/schemas';
import { TIME_FIELD, USER_FIELD, USER_HEADER } from './audit-job.js';
import type { StoredRecord } from './object-records.js';

/** The answer's row; a field the job does not store is null. */
export interface SessionRow {
  /** EdgeStartTimestamp as RFC 3339, at the precision the job stores it. */
  time: string;
  ray_id: string | null;
  method: string | null;
  host: string | null;
  /** ClientRequestURI (path and query), else ClientRequestPath. */
  path: string | null;
  status: number | null;
  client_ip: string | null;
  user_agent: string | null;
  /** What the edge did: allow, block, … (SecurityAction). */
  security_action: string | null;
  /** The object the request was read from, to find the original line. */
  object_key: string;
}

/** A row with its exact time, for ordering and range checks. */
export interface TimedRow {
  timeNs: bigint;
  row: SessionRow;
}

const NS_PER_SECOND = 1_000_000_000n;

/** Whether the record is the user's: `RequestHeaders.cf-access-user` equal to `user`, exactly. */
export function isUsersRecord(record: StoredRecord, user: string): boolean {
  const headers = record[USER_FIELD];
  return typeof headers === 'object' && headers !== null && !Array.isArray(headers) && (headers as Record<string, unknown>)[USER_HEADER] === user;
}

/** Nanoseconds since the epoch of a stored timestamp in the job's format; undefined when it is absent or unreadable. */
export function timestampNanos(value: unknown, format: TimestampFormat): bigint | undefined {
  if (typeof value === 'string') {
    if (!/^-?\d+$/.test(value)) return parseRfc3339Nanos(value);
    value = BigInt(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    value = BigInt(Math.trunc(value));
  }
  if (typeof value !== 'bigint') return undefined;
  return format === 'unix' ? value * NS_PER_SECOND : value;
}

/** Rows render times at the stored precision: seconds for unix and rfc3339, milliseconds for rfc3339ms, nanoseconds otherwise. */
export function createRowBuilder(format: TimestampFormat): (record: StoredRecord, objectKey: string) => TimedRow | undefined {
  const precision: TimestampFormat = format === 'unix' || format === 'rfc3339' ? 'rfc3339' : format === 'rfc3339ms' ? 'rfc3339ms' : 'rfc3339ns';
  const render = timestampEncoder(precision);
  return (record, objectKey) => {
    const timeNs = timestampNanos(record[TIME_FIELD], format);
    if (timeNs === undefined) return undefined;
    return {
      timeNs,
      row: {
        time: (JSON.parse(render(timeNs)) as string),
        ray_id: text(record['RayID']),
        method: text(record['ClientRequestMethod']),
        host: text(record['ClientRequestHost']),
        path: text(record['ClientRequestURI']) ?? text(record['ClientRequestPath']),
        status: integer(record['EdgeResponseStatus']),
        client_ip: text(record['ClientIP']),
        user_agent: text(record['ClientRequestUserAgent']),
        security_action: text(record['SecurityAction']),
        object_key: objectKey,
      },
    };
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function integer(value: unknown): number | null {
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : null;
}
