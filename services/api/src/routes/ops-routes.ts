// GET /healthz, /readyz and /metrics: what Kubernetes and Prometheus ask of the API, outside the v4 envelope.
import type { FastifyInstance } from 'fastify';
import type { JobStore } from '@sluice/job-store';
import type { LagReader } from '@sluice/kafka';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import type { RouteTable } from '../route-table.js';

export interface OpsRoutesOptions {
  store: JobStore;
  /** Pinged for readiness when the API runs with Kafka. */
  kafka?: Pick<LagReader, 'ping'>;
  metrics?: ApiMetrics;
  /** The longest a readiness check waits for the job store's view, ms (default 2,000). */
  readyTimeoutMs?: number;
}

/** Rejects with `code` when `work` takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number, code: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code })), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` (live): 200 while the server answers, which shows the event loop turns. `/readyz` (ready): 200 once the
 * job store's view holds everything written before the check and Kafka answers; 503 naming what is missing.
 * The API listens only once the access index has caught up, so a listening API's index is ready.
 */
export function registerOpsRoutes(app: FastifyInstance, table: RouteTable, options: OpsRoutesOptions): void {
  const timeoutMs = options.readyTimeoutMs ?? 2_000;
  table.add('GET', '/healthz');
  app.get('/healthz', (_request, reply) => reply.header('cache-control', 'no-store').send({ ok: true }));
  table.add('GET', '/readyz');
  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await within(options.store.ready(), timeoutMs, 'JOB_STORE_BEHIND');
      if (options.kafka) await within(options.kafka.ping(), timeoutMs, 'KAFKA_UNREACHABLE');
      return reply.send({ ok: true });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'NOT_READY';
      return reply.code(503).send({ ok: false, code, message: (error as Error).message });
    }
  });
  const metrics = options.metrics;
  if (!metrics) return;
  table.add('GET', '/metrics');
  app.get('/metrics', async (_request, reply) => reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(await metrics.registry.metrics()));
}
