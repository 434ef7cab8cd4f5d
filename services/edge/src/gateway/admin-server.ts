// The gateway's admin listener: Prometheus metrics and a health check, kept off the port users reach.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PublisherStats } from '../publish/publisher-stats.js';
import type { RecordPublisher } from '../publish/record-publisher.js';
import type { EdgeMetrics } from './edge-metrics.js';

export interface AdminServer {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/** What the admin listener serves: one gateway process's, or the totals of a gateway's workers (cluster/edge-primary.ts). */
export interface AdminSource {
  readonly contentType: string;
  metrics(): Promise<string>;
  stats(): PublisherStats | Promise<PublisherStats>;
}

/**
 * `GET /metrics`: Prometheus text. `GET /healthz` (live): 200 with the publisher's figures while the admin listener
 * answers; a restart would cure nothing the gateway does not cure itself, and would lose what it holds in memory.
 * `GET /readyz` (ready): 200 while the gateway serves, also while Kafka is down, since requests still flow through
 * the spool; 503 while records are being dropped because the spool is full, so that a load balancer sends users to
 * a replica that still records them (and a person is alerted: sluice_edge_publisher_records{state="dropped"}).
 */
export function startAdminServer(host: string, port: number, metrics: EdgeMetrics, publisher: RecordPublisher): Promise<AdminServer> {
  return startAdminServerFor(host, port, { contentType: metrics.registry.contentType, metrics: () => metrics.registry.metrics(), stats: () => publisher.stats() });
}

export async function startAdminServerFor(host: string, port: number, source: AdminSource): Promise<AdminServer> {
  let droppedAtLastCheck = (await source.stats()).dropped;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      source.metrics().then(
        (text) => res.writeHead(200, { 'content-type': source.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(error as Error).message}\n`),
      );
      return;
    }
    if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) {
      Promise.resolve(source.stats()).then(
        (stats) => {
          let dropping = false;
          if (path === '/readyz') {
            dropping = stats.dropped > droppedAtLastCheck;
            droppedAtLastCheck = stats.dropped;
          }
          res.writeHead(dropping ? 503 : 200, { 'content-type': 'application/json' }).end(`${JSON.stringify({ status: dropping ? 'dropping records: the spool is full' : 'ok', publisher: stats })}\n`);
        },
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`health failed: ${(error as Error).message}\n`),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics, /healthz or /readyz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
