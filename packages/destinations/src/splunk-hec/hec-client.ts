// The HTTP client a Splunk destination sends through: the shared undici client with HEC's TLS choices and reply size.
import { createHttpClient } from '../http-client/http-client.js';
import type { HttpClient } from '../http-client/http-client.js';

export interface HttpsTransportOptions {
  /** False skips certificate verification (`insecure-skip-verify=true`) for this client's connections only. */
  rejectUnauthorized: boolean;
  /** Deadline per request, from connecting to the end of the reply, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), for a private CA; Node's bundled roots otherwise. */
  ca?: string | readonly string[];
}

export const DEFAULT_HEC_TIMEOUT_MS = 30_000;
// HEC's replies are a few dozen bytes; a proxy's error page is cut here rather than held in memory.
const MAX_REPLY_BYTES = 64 * 1024;

export function createHttpsTransport(options: HttpsTransportOptions): HttpClient {
  return createHttpClient({
    timeoutMs: options.timeoutMs ?? DEFAULT_HEC_TIMEOUT_MS,
    rejectUnauthorized: options.rejectUnauthorized,
    maxReplyBytes: MAX_REPLY_BYTES,
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
  });
}
