// Reads the edge config's publishing settings: `durability`, `durability_timeout_ms` and `refused_records` (how a flood of refused requests is recorded).
import { showValue } from '@sluice/pipeline';

export type Durability = 'async' | 'sync';

/** Records of refused requests (401/403/…, SecurityAction block) per client IP and period; beyond the cap, one in `sampleOneIn` is kept. */
export interface RefusedRecordsConfig {
  /** Refused requests recorded in full per client IP (IPv6: per /64) and period (default 100). */
  readonly perIp: number;
  /** Length of a period, milliseconds (default 10,000). */
  readonly periodMs: number;
  /** Beyond the cap, one record in this many is kept, carrying the interval in `sluice-sample-interval` (default 100). */
  readonly sampleOneIn: number;
}

export interface PublishingConfig {
  readonly durability: Durability;
  /** Sync durability: longest a response waits for its record to be stored before its connection is cut (default 5,000 ms). */
  readonly durabilityTimeoutMs: number;
  readonly refusedRecords: RefusedRecordsConfig;
}

export const PUBLISHING_KEYS = ['durability', 'durability_timeout_ms', 'refused_records'] as const;

/**
 * 5 s: a store is one fsync on the publisher thread, milliseconds normally; a thread that has not
 * answered by then hangs (one that dies is noticed and answered at once), and a client should get
 * a cut connection rather than wait forever.
 */
export const DEFAULT_DURABILITY_TIMEOUT_MS = 5_000;

/**
 * 100 per IP per 10 s records any person's mistakes in full (a browser retrying with an expired
 * token makes a few), while one address flooding at 1,000 requests/s yields ~10 records/s, not 1,000.
 */
export const DEFAULT_REFUSED_RECORDS: RefusedRecordsConfig = { perIp: 100, periodMs: 10_000, sampleOneIn: 100 };

export function readPublishing(doc: Readonly<Record<string, unknown>>, add: (path: string, message: string) => void): PublishingConfig {
  const durability = doc['durability'] ?? 'async';
  if (durability !== 'async' && durability !== 'sync') add('/durability', `${showValue(durability)} is not allowed; expected "async" (default: answer at once, records follow) or "sync" (answer once the record is in Kafka or on disk)`);
  return { durability: durability === 'sync' ? 'sync' : 'async', durabilityTimeoutMs: readTimeout(doc['durability_timeout_ms'], add), refusedRecords: readRefused(doc['refused_records'], add) };
}

function readTimeout(value: unknown, add: (path: string, message: string) => void): number {
  if (value === undefined) return DEFAULT_DURABILITY_TIMEOUT_MS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 600_000) return value;
  add('/durability_timeout_ms', `${showValue(value)} is not allowed; expected an integer of milliseconds from 100 to 600000, e.g. 5000`);
  return DEFAULT_DURABILITY_TIMEOUT_MS;
}

function readRefused(value: unknown, add: (path: string, message: string) => void): RefusedRecordsConfig {
  if (value === undefined) return DEFAULT_REFUSED_RECORDS;
  const example = '{"per_ip": 100, "period_seconds": 10, "sample_one_in": 100}';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    add('/refused_records', `${showValue(value)} is not allowed; expected an object like ${example}`);
    return DEFAULT_REFUSED_RECORDS;
  }
  const doc = value as Record<string, unknown>;
  for (const key of Object.keys(doc)) if (!['per_ip', 'period_seconds', 'sample_one_in'].includes(key)) add(`/refused_records/${key}`, `"${key}" is not a setting here; allowed: per_ip, period_seconds, sample_one_in`);
  const integer = (key: string, min: number, max: number, fallback: number): number => {
    const v = doc[key];
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    add(`/refused_records/${key}`, `${showValue(v)} is not allowed; expected an integer from ${min} to ${max}, e.g. ${example}`);
    return fallback;
  };
  return {
    perIp: integer('per_ip', 0, 1_000_000, DEFAULT_REFUSED_RECORDS.perIp),
    periodMs: integer('period_seconds', 1, 86_400, DEFAULT_REFUSED_RECORDS.periodMs / 1000) * 1000,
    sampleOneIn: integer('sample_one_in', 1, 1_000_000, DEFAULT_REFUSED_RECORDS.sampleOneIn),
  };
}
