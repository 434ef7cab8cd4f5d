// `durability: "sync"`: a response's last bytes wait until its record is stored, so a client that got a whole answer has its record.
import type { ServerResponse } from 'node:http';
import { DEFAULT_DURABILITY_TIMEOUT_MS } from '../config/publishing-section.js';
import type { EdgeClock } from '../records/edge-clock.js';
import type { RequestFacts } from '../records/request-facts.js';
import type { CompiledApp } from './compiled-app.js';
import type { RecordSink } from './record-sink.js';
import { onExchangeEnd } from './request-exchange.js';

type Write = ServerResponse['write'];
type End = ServerResponse['end'];

/** How long an answer waits for its record (`durability_timeout_ms`), and what a wait that ran out tells (a metric). */
export interface StoreBound {
  readonly timeoutMs: number;
  readonly onTimeout: () => void;
}

const DEFAULT_BOUND: StoreBound = { timeoutMs: DEFAULT_DURABILITY_TIMEOUT_MS, onTimeout: () => undefined };

/**
 * The drop-in for `onExchangeEnd` in sync mode. Holding back only `end()` is not enough: with a
 * Content-Length, the client has the whole body once the last chunk is written. So the latest
 * chunk is always held back (written when the next comes), and at `end()` the record is made from
 * the facts as they are then, published, and the held chunk and the end follow once it is stored.
 * A record that cannot be stored cuts the connection: the client never sees a complete answer.
 * A client gone before the end is recorded when the response closes, as in async mode.
 * A store that has not answered within `bound.timeoutMs` (a publisher thread that hangs without
 * dying) counts as one that failed: the connection is cut, and `bound.onTimeout` counts it.
 * Cost: a streamed response's bytes go out one chunk late; the end waits for an fsync.
 */
export function recordBeforeAnswer(res: ServerResponse, facts: RequestFacts, clock: EdgeClock, record: (facts: RequestFacts) => Promise<boolean>, bound: StoreBound = DEFAULT_BOUND): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let held: unknown[] | undefined;
  let recorded = false;

  res.write = ((...args: unknown[]): boolean => {
    const previous = held;
    held = args;
    // The backpressure of the chunk that did go out: the caller pauses on it as before.
    return previous === undefined ? true : write(...previous);
  }) as Write;

  res.end = ((...args: unknown[]): ServerResponse => {
    if (recorded) return res;
    recorded = true;
    facts.endNs = clock.nowNanos();
    if (facts.status === 0) facts.status = res.statusCode;
    facts.responseBytes += facts.responseBodyBytes;
    void storedWithin(record(facts), bound).then((ok) => {
      if (!ok) return void res.destroy();
      if (held !== undefined) write(...held);
      held = undefined;
      end(...args);
    });
    return res;
  }) as End;

  onExchangeEnd(res, facts, clock, (done) => {
    if (!recorded) void record(done);
  });
}

/** The store's answer, or false once `bound.timeoutMs` passed without one (counted). */
function storedWithin(stored: Promise<boolean>, bound: StoreBound): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      bound.onTimeout();
      resolve(false);
    }, bound.timeoutMs);
  });
  return Promise.race([stored, late]).finally(() => clearTimeout(timer));
}

/** How the gateway records an exchange: when it closes (async), or before its answer ends (sync). */
export type ExchangeRecorder = (res: ServerResponse, facts: RequestFacts, app: CompiledApp) => void;

export function createExchangeRecorder(sink: RecordSink, clock: EdgeClock, durability: 'async' | 'sync' | undefined, bound: StoreBound = DEFAULT_BOUND): ExchangeRecorder {
  if (durability === 'sync') return (res, facts, app) => recordBeforeAnswer(res, facts, clock, (done) => sink.requestStored(done, app), bound);
  return (res, facts, app) => onExchangeEnd(res, facts, clock, (done) => sink.request(done, app));
}
