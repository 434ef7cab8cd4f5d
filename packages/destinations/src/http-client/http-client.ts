// The one HTTP(S) client of the HTTP-based kinds: undici's pooled Agent with a per-destination TLS policy, a deadline, abort and a bounded reply.
import { Agent, buildConnector } from 'undici';
import type { AddressGuard } from '../address-policy/address-guard.js';
import { guardConnector } from '../address-policy/guarded-connect.js';
import { dispatchRequest } from './dispatch-request.js';
import type { NoReply } from './no-reply.js';

export interface HttpClientOptions {
  /** Deadline per request, from connecting to the end of the reply, in ms. */
  timeoutMs: number;
  /** False skips certificate verification (`insecure-skip-verify=true`) for this client's connections only. Default true. */
  rejectUnauthorized?: boolean;
  /** Extra trusted CA certificates (PEM), for a private CA; Node's bundled roots otherwise. */
  ca?: string | readonly string[];
  /** Reply body bytes kept (the rest is read and dropped, so the connection stays reusable). Default 64 KiB. */
  maxReplyBytes?: number;
  /** When set, every connection goes only to addresses this guard vets at connect time (the API's validation writes). */
  addressGuard?: AddressGuard;
}

export interface HttpRequest {
  /** Absolute URL: scheme, host, port, path and query string, sent as written. */
  url: string;
  headers: Readonly<Record<string, string>> | ReadonlyArray<readonly [name: string, value: string]>;
  body: Buffer;
}

/** A complete reply, whatever its status; `body` holds at most `maxReplyBytes` of it, as UTF-8. */
export interface HttpReply {
  status: number;
  statusText: string;
  /** A header's value when it came once, else null. Names in any letter case. */
  header(name: string): string | null;
  body: string;
}

/** Never an exception for network trouble: a reply, or why none came. */
export type HttpOutcome = { ok: true; reply: HttpReply } | { ok: false; failure: NoReply };

/** One POST at a time per call; connections are pooled and kept alive per origin. */
export interface HttpClient {
  send(request: HttpRequest, signal: AbortSignal): Promise<HttpOutcome>;
  /** Ends every connection, in-flight requests included. */
  close(): Promise<void>;
}

/** Enough for any receiver's error sentence or small JSON reply; kinds with larger replies (ES bulk) raise it. */
export const DEFAULT_MAX_REPLY_BYTES = 64 * 1024;

/**
 * One Agent per destination, so that a TLS policy (a private CA, skipped verification) never
 * reaches another destination's connections. Redirects are not followed: the caller sees the 3xx.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { timeoutMs } = options;
  const maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  const ca = options.ca === undefined ? {} : { ca: typeof options.ca === 'string' ? options.ca : [...options.ca] };
  const connect = { timeout: timeoutMs, rejectUnauthorized: options.rejectUnauthorized ?? true, ...ca };
  const agent = new Agent({
    // The deadline below covers the whole exchange; undici's own header and body timers would only race it.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: options.addressGuard === undefined ? connect : guardConnector(options.addressGuard, buildConnector(connect)),
  });
  return {
    send: (request, signal) => dispatchRequest(agent, request, signal, { timeoutMs, maxReplyBytes }),
    close: () => agent.destroy().catch(() => undefined),
  };
}
