// The API's Prometheus metrics: requests by route and status, their latency, refused credentials, the job-store view's lag.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobStore } from '@sluice/job-store';

export interface ApiMetricsOptions {
  store: JobStore;
  /** Node's process metrics (CPU, RSS, heap, event-loop lag); off in tests that build many servers. */
  processMetrics?: boolean;
  now?: () => number;
  /** How long the job-store catch-up may take before the scrape gives up on it, ms (default 2,000). */
  storeTimeoutMs?: number;
}

export interface ApiMetrics {
  readonly registry: Registry;
  /** One answered request: its route pattern (never the path, which holds account and zone ids), method, status. */
  answered(route: string, method: string, status: number, seconds: number): void;
}

/**
 * Latency buckets from the API's own e2e runs: job reads answer in 1–5 ms, writes that validate a destination in
 * 20–300 ms, access-log queries in 1–50 ms, and an audit read of many objects in seconds.
 */
export const API_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createApiMetrics(options: ApiMetricsOptions): ApiMetrics {
  const registry = new Registry();
  const now = options.now ?? (() => performance.now());
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'sluice_api_requests_total', help: 'Requests answered, by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const duration = new Histogram({ name: 'sluice_api_request_duration_seconds', help: 'Time from a request\'s arrival to its answer, by route pattern and method', labelNames: ['route', 'method'], buckets: API_SECONDS_BUCKETS, registers: [registry] });
  const authFailures = new Counter({ name: 'sluice_api_auth_failures_total', help: 'Requests refused for their credentials: 401 (none or unknown) and 403 (not allowed there)', labelNames: ['status'], registers: [registry] });
  const timeoutMs = options.storeTimeoutMs ?? 2_000;
  new Gauge({
    name: 'sluice_api_job_store_catch_up_seconds',
    help: 'How long the job store\'s view took, at this scrape, to hold everything written to it before (the view\'s lag); the timeout (2 s) when it did not',
    registers: [registry],
    async collect() {
      const started = now();
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([options.store.ready().catch(() => limit), limit]);
      clearTimeout(timer);
      this.set(Math.min(timeoutMs, now() - started) / 1000);
    },
  });
  return {
    registry,
    answered(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      duration.observe({ route, method }, seconds);
      if (status === 401 || status === 403) authFailures.inc({ status: String(status) });
    },
  };
}
