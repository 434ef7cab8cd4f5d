// A loopback origin that routes as nginx does: by the absolute-form target's authority when there is one, else by Host; it answers with where it would route.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VhostRoute {
  /** The virtual host the origin chose. */
  readonly vhost: string;
  /** The path it would serve, after decoding dots and resolving dot segments as nginx does. */
  readonly path: string;
  /** The request target exactly as it arrived. */
  readonly target: string;
}

export interface VhostOrigin {
  readonly url: string;
  readonly routes: VhostRoute[];
  close(): Promise<void>;
}

/** Answers every request 200 with its route as JSON. */
export async function startVhostOrigin(): Promise<VhostOrigin> {
  const routes: VhostRoute[] = [];
  const server = createServer((req, res) => {
    const target = req.url ?? '';
    // RFC 9112 §3.2.2: with an absolute-form target the server ignores Host and uses the target's authority.
    const absolute = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/i.exec(target);
    const vhost = (absolute?.[1] ?? req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const rawPath = (absolute === null ? target : absolute[2] || '/').split('?')[0];
    const path = new URL(rawPath.replace(/%2e/gi, '.').replace(/%2f/gi, '/'), 'http://vhost').pathname;
    const route = { vhost, path, target };
    routes.push(route);
    const body = JSON.stringify(route);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
