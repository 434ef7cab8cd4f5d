// The gateway's Prometheus metrics, named in one place; the publisher's figures are read when scraped.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { cumulativeBuckets } from '../publish/send-timing.js';
import type { RecordPublisher } from '../publish/record-publisher.js';

/** One bound counter: `inc()` with no label lookup. */
export interface Tally {
  inc(value?: number): void;
}

export interface EdgeMetrics {
  readonly registry: Registry;
  /** Per app and action (`allow` | `block`), children bound once so the hot path does no label lookup. */
  requests(app: string, action: 'allow' | 'block'): Tally;
  denied(app: string, code: string): Tally;
  readonly unknownHost: Counter;
  originErrors(app: string, kind: string): Tally;
  /** Requests Node's parser refused before the handler, by the status answered and the parser's code (a fixed set: `HPE_*`, `ERR_HTTP_REQUEST_TIMEOUT`). */
  clientErrors(status: number, code: string): Tally;
  /** Records the schema refused: a gateway bug, never expected; each is also logged with its RayID. */
  readonly unencodable: Counter;
  /** Sync durability: responses cut because their record was not stored within `durability_timeout_ms`. */
  readonly durabilityTimeouts: Counter;
  /** Arrival to the response's end (its record handed over), per app, for requests of a known app. */
  requestSeconds(app: string): { observe(seconds: number): void };
  /** Reads the publisher's counters at scrape time. */
  watchPublisher(publisher: RecordPublisher): void;
}

/**
 * Request latency buckets: the gateway adds ~0.1 ms of its own (the gateway bench), a local origin answers in
 * 1–5 ms, remote apps in tens to hundreds; the origin timeout ends a request at 30 s.
 */
export const REQUEST_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createEdgeMetrics(): EdgeMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: 'sluice_edge_requests_total', help: 'Requests for a known app, by app and security action', labelNames: ['app', 'action'], registers: [registry] });
  const denied = new Counter({ name: 'sluice_edge_denied_total', help: 'Requests refused, by app and identity error code', labelNames: ['app', 'code'], registers: [registry] });
  const unknownHost = new Counter({ name: 'sluice_edge_unknown_host_total', help: 'Requests for a host name no app serves (answered 404, not logged as records)', registers: [registry] });
  const originErrors = new Counter({ name: 'sluice_edge_origin_errors_total', help: 'Requests the origin failed: connect errors, timeouts, broken responses', labelNames: ['app', 'kind'], registers: [registry] });
  const clientErrors = new Counter({ name: 'sluice_edge_client_errors_total', help: 'Requests refused before the handler (malformed, head too large, too slow), by status and parser error code; each is logged as a record', labelNames: ['status', 'code'], registers: [registry] });
  const unencodable = new Counter({ name: 'sluice_edge_records_unencodable_total', help: 'Records the dataset schema refused (logged with their RayID)', registers: [registry] });
  const requestSeconds = new Histogram({ name: 'sluice_edge_request_duration_seconds', help: 'Requests for a known app, from arrival to the end of the response, by app', labelNames: ['app'], buckets: REQUEST_SECONDS_BUCKETS, registers: [registry] });
  const durabilityTimeouts = new Counter({ name: 'sluice_edge_durability_timeouts_total', help: 'Sync durability: responses whose connection was cut because their record was not stored within durability_timeout_ms (a publisher thread that hangs)', registers: [registry] });
  let publisher: RecordPublisher | undefined;
  new Gauge({
    name: 'sluice_edge_publisher_records',
    help: 'Records by what happened to them since start: published (acknowledged by Kafka), spooled (written to disk), replayed (sent from disk), dropped (spool full), queued (in memory now), on_disk (spooled, not yet replayed)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      if (publisher === undefined) return;
      const s = publisher.stats();
      this.set({ state: 'published' }, s.published);
      this.set({ state: 'spooled' }, s.spooled);
      this.set({ state: 'replayed' }, s.replayed);
      this.set({ state: 'dropped' }, s.dropped);
      this.set({ state: 'queued' }, s.queued);
      this.set({ state: 'on_disk' }, s.spoolRecords);
    },
  });
  new Gauge({
    name: 'sluice_edge_spool_bytes',
    help: 'Bytes the disk spool holds',
    registers: [registry],
    collect() {
      if (publisher !== undefined) this.set(publisher.stats().spoolBytes);
    },
  });
  // Kept on the publisher thread (publish/send-timing.ts) and read here when scraped, as a histogram of this registry.
  registry.registerMetric({
    name: 'sluice_edge_publisher_send_duration_seconds',
    help: 'Kafka sends of the publisher, from the send to its acknowledgement, failure or timeout (connecting excluded)',
    type: 'histogram',
    aggregator: 'sum',
    get: () => {
      const timings = publisher?.stats().sendSeconds ?? { counts: [], sum: 0, count: 0 };
      const name = 'sluice_edge_publisher_send_duration_seconds';
      return {
        name,
        help: 'Kafka sends of the publisher, from the send to its acknowledgement, failure or timeout (connecting excluded)',
        type: 'histogram',
        aggregator: 'sum',
        values: [
          ...cumulativeBuckets(timings).map(({ le, value }) => ({ metricName: `${name}_bucket`, labels: { le }, value })),
          { metricName: `${name}_sum`, labels: {}, value: timings.sum },
          { metricName: `${name}_count`, labels: {}, value: timings.count },
        ],
      };
    },
  } as unknown as Parameters<Registry['registerMetric']>[0]);
  new Gauge({
    name: 'sluice_edge_kafka_healthy',
    // Across the gateway's workers: healthy only if every worker is (cluster/edge-primary.ts).
    aggregator: 'min',
    help: 'Async durability: 1 while records go straight to Kafka, 0 while they go through the spool. Sync: 1 while the spool replayer keeps Kafka up to date (its last send succeeded, and it is caught up or made progress within the last seconds)',
    registers: [registry],
    collect() {
      if (publisher === undefined) return;
      const s = publisher.stats();
      // In sync mode every record goes through the spool by design: the publisher's own rule decides (kafka-health.ts).
      this.set(s.kafkaHealthy && (s.mode === 'direct' || s.durability === 'sync') ? 1 : 0);
    },
  });
  const bound = new Map<string, Tally>();
  const child = (counter: Counter, key: string, labels: Record<string, string>): Tally => {
    let c = bound.get(key);
    if (c === undefined) {
      c = counter.labels(labels);
      bound.set(key, c);
    }
    return c;
  };
  return {
    registry,
    requests: (app, action) => child(requests, `r\0${app}\0${action}`, { app, action }),
    denied: (app, code) => child(denied, `d\0${app}\0${code}`, { app, code }),
    unknownHost,
    originErrors: (app, kind) => child(originErrors, `o\0${app}\0${kind}`, { app, kind }),
    clientErrors: (status, code) => child(clientErrors, `c\0${status}\0${code}`, { status: String(status), code }),
    unencodable,
    durabilityTimeouts,
    requestSeconds: (app) => requestSeconds.labels({ app }),
    watchPublisher: (p) => {
      publisher = p;
    },
  };
}
