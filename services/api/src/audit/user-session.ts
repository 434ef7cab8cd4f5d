// Reconstructs one user's session from a job's stored objects: list keys by time, read only the batches in range, keep the user's requests in time order.
import type { ObjectStoreReader } from '@sluice/destinations';
import { AuditError } from './audit-error.js';
import type { AuditJob } from './audit-job.js';
import { batchOverlaps, DEFAULT_KEY_TIME_SLACK, listingPlan, parseBatchKey, startsPastRange } from './object-keys.js';
import type { BatchKey, KeyTimeSlack } from './object-keys.js';
import { readObjectRecords } from './object-records.js';
import { createRowBuilder, isUsersRecord } from './session-row.js';
import type { SessionRow, TimedRow } from './session-row.js';

export interface AuditLimits {
  /** Objects read (GETs) per query; default 2,000. */
  maxObjects: number;
  /** Keys listed per query; default 200,000. */
  maxListedKeys: number;
  /** Time a query may spend before it answers with what it has, truncated; default 60,000 ms. */
  timeoutMs: number;
}

export const DEFAULT_AUDIT_LIMITS: AuditLimits = { maxObjects: 2_000, maxListedKeys: 200_000, timeoutMs: 60_000 };

export interface UserSessionQuery {
  email: string;
  /** Inclusive, nanoseconds since the epoch. */
  sinceNs: bigint;
  /** Exclusive. */
  untilNs: bigint;
  /** The earliest this many requests are returned; `truncated` says there may be more. */
  limit: number;
}

/** Why a session came back incomplete. */
export type TruncationReason = 'records' | 'objects' | 'keys' | 'deadline';

export interface UserSession {
  /** In time order (then RayID), at most `limit`. */
  rows: SessionRow[];
  /** True when the range may hold more of the user's requests than `rows`. */
  truncated: boolean;
  truncatedBy: TruncationReason | undefined;
  /** Batch objects read. */
  objectsScanned: number;
  /** Batch objects of the job listed and not read: out of range, or past a limit. */
  objectsSkipped: number;
  /** Lines or rows that could not be read as records. */
  recordsUnreadable: number;
}

export interface UserSessionReader {
  read(query: UserSessionQuery, signal: AbortSignal): Promise<UserSession>;
}

export interface UserSessionReaderOptions {
  reader: ObjectStoreReader;
  job: AuditJob;
  limits?: Partial<AuditLimits>;
  slack?: KeyTimeSlack;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

const NS_PER_MS = 1_000_000n;

export function createUserSessionReader(options: UserSessionReaderOptions): UserSessionReader {
  const { reader, job } = options;
  const limits = { ...DEFAULT_AUDIT_LIMITS, ...options.limits };
  const slack = options.slack ?? DEFAULT_KEY_TIME_SLACK;
  const now = options.now ?? Date.now;
  const buildRow = createRowBuilder(job.format.timestampFormat);

  return {
    async read(query, signal) {
      const deadline = now() + limits.timeoutMs;
      const sinceMs = Number(query.sinceNs / NS_PER_MS);
      const untilMs = Number((query.untilNs + NS_PER_MS - 1n) / NS_PER_MS);
      const listed = await listCandidates(reader, job.id, sinceMs, untilMs, slack, limits.maxListedKeys, signal);
      const session: UserSession = { rows: [], truncated: listed.truncated, truncatedBy: listed.truncated ? 'keys' : undefined, objectsScanned: 0, objectsSkipped: listed.skipped, recordsUnreadable: 0 };
      const kept = createKeptRows(query.limit);
      const needle = JSON.stringify(job.format.escapeJndi ? query.email.replaceAll('${', 'x{') : query.email).slice(1, -1);
      const user = job.format.escapeJndi ? query.email.replaceAll('${', 'x{') : query.email;
      const batches = listed.batches.sort((a, b) => a.startMs - b.startMs || (a.key < b.key ? -1 : 1));
      for (let index = 0; index < batches.length; index++) {
        const batch = batches[index];
        if (batch === undefined) break;
        const stop = stopReason(session, kept, batch, limits, deadline, now(), slack);
        if (stop !== undefined) {
          session.truncated = true;
          session.truncatedBy ??= stop;
          session.objectsSkipped += batches.length - index;
          break;
        }
        session.objectsScanned++;
        const body = await storeCall(() => reader.read(batch.key, signal), `reading ${batch.key}`);
        try {
          await readObjectRecords(body, job, needle, {
            record(record) {
              if (!isUsersRecord(record, user)) return;
              const timed = buildRow(record, batch.key);
              if (timed === undefined) session.recordsUnreadable++;
              else if (timed.timeNs >= query.sinceNs && timed.timeNs < query.untilNs) kept.add(timed);
            },
            unreadable: () => void session.recordsUnreadable++,
          });
        } catch (error) {
          if (signal.aborted) throw new AuditError('AUDIT_STORE_FAILED', `reading ${batch.key} was cut short`, true, { cause: error });
          throw new AuditError('AUDIT_OBJECT_UNREADABLE', `object ${batch.key} cannot be read as gzip ${job.format.outputType}`, false, { cause: error });
        }
      }
      const result = kept.finish();
      if (result.dropped) {
        session.truncated = true;
        session.truncatedBy ??= 'records';
      }
      session.rows = result.rows;
      return session;
    },
  };
}

interface Listed {
  batches: BatchKey[];
  skipped: number;
  truncated: boolean;
}

/** The job's batches that can hold [sinceMs, untilMs), listing each folder from the earliest start that matters up to the first start past the range. */
async function listCandidates(reader: ObjectStoreReader, jobId: number, sinceMs: number, untilMs: number, slack: KeyTimeSlack, maxKeys: number, signal: AbortSignal): Promise<Listed> {
  const listed: Listed = { batches: [], skipped: 0, truncated: false };
  let seen = 0;
  for (const plan of listingPlan(reader.path, sinceMs, untilMs, slack)) {
    let token: string | undefined;
    let pastRange = false;
    do {
      const request = { prefix: plan.prefix, ...(plan.startAfter !== undefined ? { startAfter: plan.startAfter } : {}), ...(token !== undefined ? { continuationToken: token } : {}) };
      const page = await storeCall(() => reader.list(request, signal), `listing ${plan.prefix || 'the bucket root'}`);
      for (const key of page.keys) {
        if (++seen > maxKeys) {
          listed.truncated = true;
          return listed;
        }
        const batch = parseBatchKey(key, plan.prefix, jobId);
        if (batch === undefined) continue;
        if (pastRange || startsPastRange(batch, untilMs, slack)) {
          // Keys sort by start time: this one and every later one start after the range.
          pastRange = true;
          listed.skipped++;
        } else if (batchOverlaps(batch, sinceMs, untilMs, slack)) listed.batches.push(batch);
        else listed.skipped++;
      }
      token = pastRange ? undefined : page.nextToken;
    } while (token !== undefined);
  }
  return listed;
}

function stopReason(session: UserSession, kept: KeptRows, batch: BatchKey, limits: AuditLimits, deadline: number, nowMs: number, slack: KeyTimeSlack): TruncationReason | undefined {
  if (session.objectsScanned >= limits.maxObjects) return 'objects';
  if (nowMs >= deadline) return 'deadline';
  // Batches come by start time: once `limit` requests are kept, a batch starting after the last of them adds none of the earliest.
  const boundary = kept.boundaryNs();
  if (boundary !== undefined && BigInt(batch.startMs - slack.recordSlackMs) * NS_PER_MS > boundary) return 'records';
  return undefined;
}

/** Store failures become AUDIT_STORE_FAILED with the SDK's error as the cause, for the caller to classify. */
async function storeCall<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AuditError('AUDIT_STORE_FAILED', `${what} failed`, true, { cause: error });
  }
}

interface KeptRows {
  add(row: TimedRow): void;
  /** The time of the `limit`-th earliest row once that many are kept; undefined before. */
  boundaryNs(): bigint | undefined;
  finish(): { rows: SessionRow[]; dropped: boolean };
}

/** The earliest `limit` rows, in at most twice that memory: sorted and cut whenever it fills. */
function createKeptRows(limit: number): KeptRows {
  let rows: TimedRow[] = [];
  let dropped = false;
  let sorted = true;
  const compact = (): void => {
    if (!sorted) rows.sort(byTime);
    sorted = true;
    if (rows.length > limit) {
      rows = rows.slice(0, limit);
      dropped = true;
    }
  };
  return {
    add(row) {
      rows.push(row);
      sorted = false;
      if (rows.length >= 2 * limit) compact();
    },
    boundaryNs() {
      if (rows.length < limit) return undefined;
      compact();
      return rows[limit - 1]?.timeNs;
    },
    finish() {
      compact();
      return { rows: rows.map((timed) => timed.row), dropped };
    },
  };
}

function byTime(a: TimedRow, b: TimedRow): number {
  if (a.timeNs !== b.timeNs) return a.timeNs < b.timeNs ? -1 : 1;
  const ra = a.row.ray_id ?? '';
  const rb = b.row.ray_id ?? '';
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}
