// The publisher's options with their defaults filled in, checked once at start-up (pure).
import { PublishError } from './publish-error.js';

export interface PublisherSettings {
  readonly spoolDir: string;
  readonly spoolMaxBytes: number;
  readonly spoolSegmentMaxBytes: number;
  readonly spoolSyncIntervalMs: number;
  readonly queueMaxRecords: number;
  readonly batchMaxRecords: number;
  readonly lingerMs: number;
  readonly sendTimeoutMs: number;
  readonly retryDelayMs: { readonly initial: number; readonly max: number };
  readonly durability: 'async' | 'sync';
}

/** The tunables a caller may leave out; each default's reason is beside it. */
export interface PublisherTunables {
  /** Directory of the spool; created when missing. */
  readonly spoolDir: string;
  /** Bytes on disk the spool may use (default 1 GiB); records beyond it are dropped and counted. */
  readonly spoolMaxBytes?: number;
  /** Size at which a spool segment is closed and a new one begun (default 64 MiB; at most a quarter of `spoolMaxBytes`). */
  readonly spoolSegmentMaxBytes?: number;
  /** Longest time spooled records go without an fsync while records flow (default 100 ms). */
  readonly spoolSyncIntervalMs?: number;
  /** Records held in memory before the spool takes over (default 2,000). */
  readonly queueMaxRecords?: number;
  /** Records per batch (default 500). */
  readonly batchMaxRecords?: number;
  /** Wait this long to fill a batch, in milliseconds (default 25). */
  readonly lingerMs?: number;
  /** A send taking longer than this counts Kafka as unhealthy and the queue spills. Default 2000. */
  readonly sendTimeoutMs?: number;
  /** Reconnect/replay backoff in milliseconds, doubling with jitter; default 250 → 5000. */
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
  /** `sync`: every record goes to the spool first and is stored once fsync'd (durability/write-ahead.ts). Default `async`. */
  readonly durability?: 'async' | 'sync';
}

export const PUBLISHER_DEFAULTS = {
  /** 1 GiB: hours of one gateway's records at ~1 KB each, small next to a disk. */
  spoolMaxBytes: 1024 ** 3,
  /** 64 MiB: few files even for a full spool; recovery reads one segment at a time. */
  spoolSegmentMaxBytes: 64 * 1024 ** 2,
  /** 100 ms: a power cut loses at most this much spooled data; a process crash loses none. */
  spoolSyncIntervalMs: 100,
  /**
   * 2,000 records (~2 MB): four batches, a fraction of a second of a busy gateway, before the spool
   * takes over. Small because a kill -9 loses what is in memory (it was 10,000).
   */
  queueMaxRecords: 2_000,
  /** 500 records: one produce request of ~0.5 MB, well under Kafka's 1 MB default. */
  batchMaxRecords: 500,
  /**
   * 25 ms: a record reaches Kafka at most this much later, and a busy gateway sends a few times fewer
   * produce requests than with 5 ms; each costs the publisher thread and the broker, which share the
   * gateway's cores. `npm run bench -- --only gateway` on 2 cores, 2 workers, Kafka up: 2,330–2,360
   * requests/s at 545–553 µs of CPU each, paced p99 +2.0–2.2 ms (two runs), against 1,710–1,940
   * at 617–705 µs, +2.6–3.3 ms with 5 ms (three runs). Sync durability does not wait on it: a request
   * waits for its record's fsync to the spool, not for Kafka.
   */
  lingerMs: 25,
  /** 2 s: a healthy cluster acknowledges in milliseconds; longer means the queue would build up. */
  sendTimeoutMs: 2_000,
  /** 250 ms doubling to 5 s: quick return after a blip, little load on a broker that is down. */
  retryDelayMs: { initial: 250, max: 5_000 },
} as const;

const MAX_SEGMENT_BYTES = 1024 ** 3;

/** A segment is at most a quarter of the cap, so acknowledged bytes not yet deleted can never fill the spool. */
const SEGMENTS_PER_CAP = 4;

export function resolvePublisherSettings(options: PublisherTunables): PublisherSettings {
  if (typeof options.spoolDir !== 'string' || options.spoolDir === '') throw invalid('spoolDir', options.spoolDir, '"/var/lib/sluice/edge-spool"');
  const spoolMaxBytes = count('spoolMaxBytes', options.spoolMaxBytes ?? PUBLISHER_DEFAULTS.spoolMaxBytes, 1, '1073741824');
  const segment = count('spoolSegmentMaxBytes', options.spoolSegmentMaxBytes ?? PUBLISHER_DEFAULTS.spoolSegmentMaxBytes, 1, '67108864');
  // Recovery reads a segment into memory whole.
  if (segment > MAX_SEGMENT_BYTES) throw invalid('spoolSegmentMaxBytes', segment, `at most ${MAX_SEGMENT_BYTES}, e.g. 67108864`);
  const retry = options.retryDelayMs ?? PUBLISHER_DEFAULTS.retryDelayMs;
  const initial = count('retryDelayMs.initial', retry.initial, 0, '{ initial: 250, max: 5000 }');
  const max = count('retryDelayMs.max', retry.max, 0, '{ initial: 250, max: 5000 }');
  if (max < initial) throw invalid('retryDelayMs.max', max, `at least initial (${initial})`);
  return {
    spoolDir: options.spoolDir,
    spoolMaxBytes,
    spoolSegmentMaxBytes: Math.max(1, Math.min(segment, Math.floor(spoolMaxBytes / SEGMENTS_PER_CAP))),
    spoolSyncIntervalMs: count('spoolSyncIntervalMs', options.spoolSyncIntervalMs ?? PUBLISHER_DEFAULTS.spoolSyncIntervalMs, 0, '100'),
    queueMaxRecords: count('queueMaxRecords', options.queueMaxRecords ?? PUBLISHER_DEFAULTS.queueMaxRecords, 1, '2000'),
    batchMaxRecords: count('batchMaxRecords', options.batchMaxRecords ?? PUBLISHER_DEFAULTS.batchMaxRecords, 1, '500'),
    lingerMs: count('lingerMs', options.lingerMs ?? PUBLISHER_DEFAULTS.lingerMs, 0, '25'),
    sendTimeoutMs: count('sendTimeoutMs', options.sendTimeoutMs ?? PUBLISHER_DEFAULTS.sendTimeoutMs, 1, '2000'),
    retryDelayMs: { initial, max },
    durability: options.durability === 'sync' ? 'sync' : 'async',
  };
}

function count(field: string, value: unknown, min: number, example: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw invalid(field, value, `an integer ≥ ${min}, e.g. ${example}`);
  return value;
}

function invalid(field: string, value: unknown, expected: string): PublishError {
  return new PublishError('PUBLISH_INVALID_OPTIONS', `record publisher option ${field}: got ${JSON.stringify(value) ?? String(value)}, expected ${expected}`);
}
