// A small internal app for the demo, the tests and the bench: it knows nothing of identity except the header the gateway adds.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OriginRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly bodyBytes: number;
}

export interface DemoOrigin {
  readonly url: string;
  readonly port: number;
  /** Requests seen so far (kept only with `record: true`). */
  readonly requests: readonly OriginRequest[];
  close(): Promise<void>;
}

export interface DemoOriginOptions {
  readonly host?: string;
  readonly port?: number;
  /** Keep every request seen, for tests that check what reached the app. */
  readonly record?: boolean;
  /** Bytes of the page body (default 2 KiB, about a small HTML page). */
  readonly pageBytes?: number;
}

/**
 * Routes: `/` and any page → an HTML page greeting `cf-access-user`; `/echo` → the request (method, URL,
 * headers, body size) as JSON; `/stream?chunks=N` → N chunks, 20 ms apart; `/status/<code>` → that status.
 */
export async function startDemoOrigin(options: DemoOriginOptions = {}): Promise<DemoOrigin> {
  const requests: OriginRequest[] = [];
  const filler = 'x'.repeat(Math.max(0, (options.pageBytes ?? 2048) - 200));
  const server: Server = createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      const url = req.url ?? '/';
      const seen: OriginRequest = { method: req.method ?? '', url, headers: req.headers, bodyBytes };
      if (options.record === true) requests.push(seen);
      if (url.startsWith('/echo')) {
        const body = JSON.stringify(seen);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-origin': 'demo' }).end(body);
      } else if (url.startsWith('/stream')) {
        const chunks = Number(new URL(url, 'http://origin').searchParams.get('chunks') ?? '5');
        res.writeHead(200, { 'content-type': 'text/plain' });
        let sent = 0;
        const timer = setInterval(() => {
          res.write(`chunk ${sent}\n`);
          if (++sent >= chunks) {
            clearInterval(timer);
            res.end();
          }
        }, 20);
        res.on('close', () => clearInterval(timer));
      } else if (url.startsWith('/status/')) {
        res.writeHead(Number(url.slice(8, 11)) || 500, { 'content-type': 'text/plain' }).end('status\n');
      } else {
        const user = String(req.headers['cf-access-user'] ?? 'nobody');
        const body = `<!doctype html><title>Internal wiki</title><p>Hello ${escapeHtml(user)}, you asked for ${escapeHtml(url)}.</p><!-- ${filler} -->\n`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'private' }).end(body);
      }
    });
  });
  // Idle keep-alive connections from a gateway outlive the default 5 s; match the gateway's own.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
