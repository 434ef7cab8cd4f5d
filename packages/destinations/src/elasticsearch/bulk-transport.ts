// POSTs one `_bulk` body over node:http or node:https: keep-alive, a per-destination TLS policy, a deadline, abort.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { readReply } from '../http/read-reply.js';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The answer to one request, whatever its status. */
export interface BulkReply {
  status: number;
  statusText: string;
  /** The raw `Retry-After` and `Location` headers, or null. */
  retryAfter: string | null;
  location: string | null;
  body: string;
}

export interface BulkRequest {
  /** Path and query string. */
  path: string;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

/** Sends a request and resolves its reply; rejects only when no complete reply came (see `BulkTransportError`). */
export interface BulkTransport {
  post(request: BulkRequest, signal: AbortSignal): Promise<BulkReply>;
  close(): void;
}

/** Why a request got no reply: our own deadline, the caller's abort, or the network (TLS included). */
export class BulkTransportError extends Error {
  override readonly name = 'BulkTransportError';
  readonly reason: 'timeout' | 'aborted' | 'network';

  constructor(reason: BulkTransportError['reason'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export interface BulkTransportOptions {
  host: string;
  port: number;
  tls: boolean;
  /** False skips certificate verification (`insecure-skip-verify=true`) for this transport's connections only. */
  rejectUnauthorized: boolean;
  /** Deadline per request, from sending to the end of the reply, in ms. */
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), for a private CA; Node's bundled roots otherwise. */
  ca?: string;
}

/**
 * A bulk reply lists every item; with `filter_path` that is ~30 bytes per document, a few hundred for a
 * refused one. Far above any real batch's reply; a reply cut here fails to parse and is reported.
 */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

/**
 * node:http(s) rather than global fetch: skipping verification for one destination needs an agent
 * with `rejectUnauthorized: false`, which fetch only takes through undici's dispatcher, and undici is
 * not a dependency (the Splunk HEC transport makes the same choice). One agent per destination.
 */
export function createBulkTransport(options: BulkTransportOptions): BulkTransport {
  const agent = options.tls
    ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: options.rejectUnauthorized, ...(options.ca !== undefined ? { ca: options.ca } : {}) })
    : new HttpAgent({ keepAlive: true });
  const send = options.tls ? httpsRequest : httpRequest;
  // URL hosts keep IPv6 brackets; a socket address does not.
  const hostname = options.host.replace(/^\[(.*)\]$/, '$1');

  return {
    post(bulk, signal) {
      return new Promise<BulkReply>((resolve, reject) => {
        if (signal.aborted) return reject(new BulkTransportError('aborted', 'the delivery was aborted before sending'));
        const req = send({
          agent,
          method: 'POST',
          hostname,
          port: options.port,
          path: bulk.path,
          headers: { ...bulk.headers, 'content-length': String(bulk.body.length) },
        });
        // Set when we end the request ourselves, so the caller learns why rather than the socket's "aborted".
        let ownError: BulkTransportError | undefined;
        const stop = (error: BulkTransportError): void => {
          ownError ??= error;
          req.destroy(error);
        };
        const timer = setTimeout(() => stop(new BulkTransportError('timeout', `no complete answer within ${options.timeoutMs} ms`)), options.timeoutMs);
        const onAbort = (): void => stop(new BulkTransportError('aborted', 'the delivery was aborted before an answer arrived'));
        signal.addEventListener('abort', onAbort, { once: true });
        const settle = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        };
        // `on`, not `once`: a destroyed request may emit more than one error, and an unheard one would crash the process.
        req.on('error', (error) => {
          settle();
          reject(ownError ?? new BulkTransportError('network', error.message, { cause: error }));
        });
        req.once('response', (response: IncomingMessage) => {
          readBulkReply(response).then(
            (reply) => {
              settle();
              resolve(reply);
            },
            (error: unknown) => {
              settle();
              reject(ownError ?? new BulkTransportError('network', error instanceof Error ? error.message : String(error), { cause: error }));
            },
          );
        });
        req.end(bulk.body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

async function readBulkReply(response: IncomingMessage): Promise<BulkReply> {
  const reply = await readReply(response, MAX_REPLY_BYTES);
  return { status: reply.statusCode, statusText: reply.statusMessage, retryAfter: reply.header('retry-after'), location: reply.header('location'), body: reply.body };
}
