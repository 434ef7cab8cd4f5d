// A worker's health over HTTP: each job's Logpush-style health and counters, its metrics, and the probes Kubernetes asks.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { JobStatus } from './job-status.js';

/** A probe's answer: `ok` decides 200 or 503; `detail` says why, for the operator reading it. */
export interface ProbeResult {
  ok: boolean;
  detail: Record<string, unknown>;
}

export interface Probes {
  /** Liveness: false only when the process is wedged (a thread stopped answering) and a restart is the cure. */
  live(): Promise<ProbeResult>;
  /** Readiness: Kafka answers and the jobs have started (the job store's view caught up). */
  ready(): Promise<ProbeResult>;
}

export interface StatusServerOptions {
  statuses: () => JobStatus[];
  port: number;
  /** Loopback unless told otherwise: the counters are not meant for the open network. */
  host?: string;
  /** Serves `/metrics` from it when given. */
  metrics?: Registry;
  /** Without them `/healthz` and `/readyz` answer 200 while the server answers (the event loop turns). */
  probes?: Probes;
  /** Which paths to serve (default all): a metrics port bound beyond loopback serves no `/status`. */
  paths?: readonly StatusPath[];
}

export type StatusPath = '/status' | '/health/jobs' | '/metrics' | '/healthz' | '/readyz';
const ALL_PATHS: readonly StatusPath[] = ['/status', '/health/jobs', '/metrics', '/healthz', '/readyz'];

export interface StatusServer {
  /** `http://host:port`, with the port actually bound (0 picks a free one). */
  readonly url: string;
  close(): Promise<void>;
}

const ALWAYS: ProbeResult = { ok: true, detail: {} };

/** 200 while every job is enabled and delivering, 503 naming the failing and disabled jobs otherwise. */
export function jobsHealth(statuses: readonly JobStatus[]): ProbeResult {
  const unhealthy = statuses.filter((job) => !job.enabled || job.last_error !== null);
  const failing = unhealthy.map((job) => ({ id: job.id, name: job.name, enabled: job.enabled, last_error: job.last_error, error_message: job.error_message }));
  return { ok: unhealthy.length === 0, detail: { healthy: unhealthy.length === 0, failing } };
}

/**
 * `GET /status` answers `{"jobs":[…]}`; `/health/jobs` is 503 while a job fails or is disabled; `/metrics` is the
 * Prometheus text; `/healthz` (live) and `/readyz` (ready) answer as Kubernetes expects: a failing destination makes
 * a job unhealthy, never the process. Anything else is 404; only GET and HEAD are allowed.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const served = new Set(options.paths ?? ALL_PATHS);
  const answer = async (path: string): Promise<{ status: number; type: string; text: string }> => {
    const json = (status: number, body: unknown): { status: number; type: string; text: string } => ({ status, type: 'application/json', text: `${JSON.stringify(body)}\n` });
    const probe = (result: ProbeResult): { status: number; type: string; text: string } => json(result.ok ? 200 : 503, { ok: result.ok, ...result.detail });
    if (!served.has(path as StatusPath)) return json(404, { error: `no such path: ${path}; try ${[...served].join(', ')}` });
    switch (path as StatusPath) {
      case '/status':
        return json(200, { jobs: options.statuses() });
      case '/health/jobs':
        return probe(jobsHealth(options.statuses()));
      case '/metrics':
        if (!options.metrics) return json(404, { error: 'no metrics here: start the pusher with --metrics-port' });
        return { status: 200, type: options.metrics.contentType, text: await options.metrics.metrics() };
      case '/healthz':
        return probe(options.probes ? await options.probes.live() : ALWAYS);
      case '/readyz':
        return probe(options.probes ? await options.probes.ready() : ALWAYS);
    }
  };
  const server: Server = createServer((request, response) => {
    const send = ({ status, type, text }: { status: number; type: string; text: string }): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send({ status: 405, type: 'application/json', text: '{"error":"only GET and HEAD are allowed"}\n' });
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    answer(path).then(send, (error: unknown) => send({ status: 500, type: 'application/json', text: `${JSON.stringify({ error: (error as Error).message })}\n` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
