// A real node:http server on 127.0.0.1 that records every request and answers as each test tells it.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Server as TlsServer } from 'node:https';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** The request target exactly as sent: path and query string. */
  target: string;
  headers: IncomingHttpHeaders;
  /** Every body byte, as received (still gzip). */
  body: Buffer;
}

/** Answers one request; one that never calls `res.end` leaves the client waiting until it gives up. */
export type Responder = (request: ReceivedRequest, res: ServerResponse) => void;

export interface LocalReceiver {
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

const OK: Responder = (_request, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
};

export async function startReceiver(tls?: { cert: string; key: string }): Promise<LocalReceiver> {
  const requests: ReceivedRequest[] = [];
  let responder = OK;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', target: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      responder(request, res);
    });
  };
  const server: Server | TlsServer = tls ? createTlsServer(tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    respond(next) {
      responder = next;
    },
    close() {
      // Hung requests keep their sockets open; close them too, or close() would wait for them.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
