// A worker's health as JSON over HTTP: each job's Logpush-style health and counters, for operators and the jobs API.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JobStatus } from './job-status.js';

export interface StatusServerOptions {
  statuses: () => JobStatus[];
  port: number;
  /** Loopback unless told otherwise: the counters are not meant for the open network. */
  host?: string;
}

export interface StatusServer {
  /** `http://host:port`, with the port actually bound (0 picks a free one). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `GET /status` answers `{"jobs":[…]}`; `GET /healthz` answers 200 while every job is enabled and
 * delivering, 503 with the failing jobs otherwise. Anything else is 404; only GET and HEAD are allowed.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: unknown): void => {
      const text = `${JSON.stringify(body)}\n`;
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, { error: 'only GET and HEAD are allowed' });
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/status') return send(200, { jobs: options.statuses() });
    if (path === '/healthz') {
      const unhealthy = options.statuses().filter((job) => !job.enabled || job.last_error !== null);
      const failing = unhealthy.map((job) => ({ id: job.id, name: job.name, enabled: job.enabled, last_error: job.last_error, error_message: job.error_message }));
      return send(unhealthy.length === 0 ? 200 : 503, { healthy: unhealthy.length === 0, failing });
    }
    return send(404, { error: `no such path: ${path}; try /status or /healthz` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
