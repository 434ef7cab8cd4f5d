// POSTs one body to HEC over HTTPS with node:https: keep-alive, a per-destination TLS policy, a deadline, abort.
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { readReply } from '../http/read-reply.js';
import { HEC_ABORTED, HEC_TIMEOUT } from './classify-hec-failure.js';
import type { HecReply } from './classify-hec-response.js';

export interface HecRequest {
  host: string;
  port: number;
  /** Path and query string. */
  path: string;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

/** Sends a request and returns HEC's reply, whatever its status; rejects only when no reply came. */
export interface HecTransport {
  post(request: HecRequest, signal: AbortSignal): Promise<HecReply>;
  close(): void;
}

export interface HttpsTransportOptions {
  /** False skips certificate verification (`insecure-skip-verify=true`) for this transport's connections only. */
  rejectUnauthorized: boolean;
  /** Deadline per request, from sending to the end of the reply, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), for a private CA; Node's bundled roots otherwise. */
  ca?: string | readonly string[];
}

export const DEFAULT_HEC_TIMEOUT_MS = 30_000;
// HEC's replies are a few dozen bytes; a proxy's error page is cut here rather than held in memory.
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * node:https rather than global fetch: skipping verification for one destination needs an agent
 * with `rejectUnauthorized: false`, which fetch only takes through undici's dispatcher, and undici
 * is not a dependency. The agent is per destination, so the setting never leaks to other connections.
 */
export function createHttpsTransport(options: HttpsTransportOptions): HecTransport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEC_TIMEOUT_MS;
  const agent = new Agent({
    keepAlive: true,
    rejectUnauthorized: options.rejectUnauthorized,
    ...(options.ca !== undefined ? { ca: typeof options.ca === 'string' ? options.ca : [...options.ca] } : {}),
  });
  return {
    post(hecRequest, signal) {
      return new Promise<HecReply>((resolve, reject) => {
        if (signal.aborted) return reject(codedError(HEC_ABORTED, 'aborted before sending'));
        const req = request({
          agent,
          method: 'POST',
          // URL hosts keep IPv6 brackets; a socket address does not.
          hostname: hecRequest.host.replace(/^\[(.*)\]$/, '$1'),
          port: hecRequest.port,
          path: hecRequest.path,
          headers: { ...hecRequest.headers, 'content-length': String(hecRequest.body.length) },
        });
        // Set when we end the request ourselves, so the caller learns why rather than the socket's "aborted".
        let ownError: Error | undefined;
        const stop = (error: Error): void => {
          ownError ??= error;
          req.destroy(error);
        };
        const timer = setTimeout(() => stop(codedError(HEC_TIMEOUT, `no reply within ${timeoutMs} ms`)), timeoutMs);
        const onAbort = (): void => stop(codedError(HEC_ABORTED, 'aborted'));
        signal.addEventListener('abort', onAbort, { once: true });
        const fail = (error: unknown): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          reject(ownError ?? (error instanceof Error ? error : new Error(String(error))));
        };
        // `on`, not `once`: a destroyed request may emit more than one error, and an unheard one would crash the process.
        req.on('error', fail);
        req.once('response', (response: IncomingMessage) => {
          readHecReply(response).then((reply) => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            resolve(reply);
          }, fail);
        });
        req.end(hecRequest.body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

async function readHecReply(response: IncomingMessage): Promise<HecReply> {
  const reply = await readReply(response, MAX_REPLY_BYTES);
  return { statusCode: reply.statusCode, retryAfter: reply.header('retry-after') ?? undefined, body: reply.body };
}

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
