// What the gateway's thread and its publisher thread say to each other, and how a run of records crosses between them.
import type { PublishedMessage } from '../published-message.js';
import type { PublisherStats } from '../publisher-stats.js';

/**
 * Records handed over together (threaded-publisher.ts), as one message: their values copied
 * end to end into one ArrayBuffer that is transferred, not cloned, and the rest in parallel arrays.
 * Cloning each record's Buffer would copy the whole pool slab behind it.
 */
export interface RecordRun {
  readonly type: 'records';
  readonly topics: readonly string[];
  readonly keys: readonly (string | undefined)[];
  readonly headers: readonly Readonly<Record<string, string>>[];
  readonly timestampsMs: readonly number[];
  /** Where each value ends in `values`. */
  readonly ends: readonly number[];
  readonly values: ArrayBuffer;
}

/** From the gateway's thread. */
export type ToPublisherThread = RecordRun | { readonly type: 'drained'; readonly id: number; readonly timeoutMs: number } | { readonly type: 'close'; readonly id: number; readonly graceMs?: number };

/** What the publisher thread has taken so far, sent with everything it says. */
export interface ThreadReport {
  readonly stats: PublisherStats;
  /** Records taken from the gateway's thread since this publisher thread started. */
  readonly received: number;
}

/** From the publisher thread. */
export type FromPublisherThread =
  | ({ readonly type: 'ready' } & ThreadReport)
  /** The publisher could not start (e.g. its spool directory cannot be opened): `code` is a PublishErrorCode. */
  | { readonly type: 'failed'; readonly code: string; readonly message: string }
  | ({ readonly type: 'stats' } & ThreadReport)
  /** Sync durability: records `(after, upTo]` (numbered as received) are stored, but for those in `lost`. */
  | { readonly type: 'durable'; readonly after: number; readonly upTo: number; readonly lost: readonly number[] }
  | ({ readonly type: 'reply'; readonly id: number; readonly value: boolean | null } & ThreadReport);

/** Packs records for the publisher thread; the returned run's `values` is transferable. */
export function packRecords(messages: readonly PublishedMessage[]): RecordRun {
  let bytes = 0;
  for (const message of messages) bytes += message.value.length;
  // Its own ArrayBuffer, never a pool slab shared with other Buffers: it is handed over whole.
  const values = Buffer.allocUnsafeSlow(bytes);
  const topics: string[] = new Array<string>(messages.length);
  const keys: (string | undefined)[] = new Array<string | undefined>(messages.length);
  const headers: Readonly<Record<string, string>>[] = new Array<Readonly<Record<string, string>>>(messages.length);
  const timestampsMs: number[] = new Array<number>(messages.length);
  const ends: number[] = new Array<number>(messages.length);
  let at = 0;
  messages.forEach((message, i) => {
    at += message.value.copy(values, at);
    topics[i] = message.topic;
    keys[i] = message.key;
    headers[i] = message.headers;
    timestampsMs[i] = message.timestampMs;
    ends[i] = at;
  });
  return { type: 'records', topics, keys, headers, timestampsMs, ends, values: values.buffer };
}

/** The records of a run, each value a view into the run's buffer. */
export function unpackRecords(run: RecordRun): PublishedMessage[] {
  const out: PublishedMessage[] = new Array<PublishedMessage>(run.ends.length);
  let start = 0;
  for (let i = 0; i < run.ends.length; i++) {
    const end = run.ends[i] ?? start;
    const key = run.keys[i];
    out[i] = {
      topic: run.topics[i] ?? '',
      value: Buffer.from(run.values, start, end - start),
      ...(key !== undefined ? { key } : {}),
      headers: run.headers[i] ?? {},
      timestampMs: run.timestampsMs[i] ?? 0,
    };
    start = end;
  }
  return out;
}
