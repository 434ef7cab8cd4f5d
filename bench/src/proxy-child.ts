// The gateway section's ceiling: a bare node:http reverse proxy, doing only what any Node.js proxy must do
// (no token, no record, no Kafka), so that the gateway's cost reads against what proxying alone costs here.
// Run through startServiceChild: proxy-child.js <origin URL>
import { Agent, createServer, request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from './service-child.js';

const origin = new URL(process.argv[2] ?? '');
// The gateway's origin agent (edge-gateway.ts), so that the two differ only in what the gateway adds.
const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' });

/** The headers minus the two hop-by-hop ones every proxy drops: the client's connection is not the origin's. */
function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ...headers };
  delete out['connection'];
  delete out['keep-alive'];
  return out;
}

const server = createServer((req, res) => {
  const proxyReq = request({ hostname: origin.hostname, port: origin.port, method: req.method, path: req.url, headers: endToEnd(req.headers), agent });
  proxyReq.on('response', (originRes) => {
    res.writeHead(originRes.statusCode ?? 502, originRes.statusMessage, endToEnd(originRes.headers));
    originRes.pipe(res);
  });
  // The bench's origin does not fail; should it, the client sees a 502 or a cut connection, not a hang.
  proxyReq.on('error', () => {
    if (res.headersSent) res.destroy();
    else res.writeHead(502).end();
  });
  // A client that goes away takes its origin request with it (a finished one leaves its socket to the agent).
  res.on('close', () => {
    if (!res.writableFinished) proxyReq.destroy();
  });
  req.pipe(proxyReq);
});
// As the gateway's: idle keep-alive connections are the client's to close.
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => resolve());
});
const { port } = server.address() as AddressInfo;

serveParent({ url: `http://127.0.0.1:${port}` }, {}, () =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
    agent.destroy();
  }),
);
