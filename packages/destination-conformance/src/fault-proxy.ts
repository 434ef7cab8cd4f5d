// A reverse proxy for HTTP receivers that can answer with chosen failures instead of forwarding.
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: point the destination here instead of at the receiver. */
  readonly url: string;
  /** Requests forwarded to the receiver, by method and path. */
  readonly forwarded: string[];
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  hangNext(): void;
  close(): Promise<void>;
}

interface Fault {
  status: number;
  headers: Record<string, string>;
}

/**
 * Forwards every request byte for byte — the Host header included, so signed requests (S3 SigV4)
 * still verify at the receiver — unless a fault is queued.
 */
export async function createFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const faults: (Fault | 'hang')[] = [];
  const forwarded: string[] = [];
  const hanging = new Set<ServerResponse>();

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    forwarded.push(`${incoming.method ?? ''} ${incoming.url ?? ''}`);
    const upstreamRequest = request(
      { hostname: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstreamRequest.on('error', () => outgoing.destroy());
    incoming.pipe(upstreamRequest);
  };

  const server: Server = createServer((incoming, outgoing) => {
    const fault = faults.shift();
    if (fault === undefined) return forward(incoming, outgoing);
    // Read the body first, as a real server would before answering.
    incoming.resume();
    incoming.on('end', () => {
      if (fault === 'hang') {
        hanging.add(outgoing);
        return;
      }
      outgoing.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
      outgoing.end(`injected ${fault.status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    failNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) faults.push({ status, headers });
    },
    hangNext() {
      faults.push('hang');
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
