// POSTs each gzip batch, as is, to a generic HTTP(S) endpoint with the configured headers and the batch id.
import type { Destination, DeliveryResult } from '../destination.js';
import { batchIdHeader } from '../http-client/batch-id-header.js';
import { createHttpClient } from '../http-client/http-client.js';
import type { HttpClient } from '../http-client/http-client.js';
import { classifyHttpResponse, classifyNoAnswer } from './classify-http-response.js';
import type { HttpConfig } from './http-config.js';
import { headerSecrets, scrubSecrets } from './http-secrets.js';
import { EXCERPT_BYTES, oneLineExcerpt } from './response-excerpt.js';

/** Logpush's HTTP default: NDJSON lines; a `header_Content-Type` parameter replaces it (e.g. for CSV). */
export const DEFAULT_CONTENT_TYPE = 'application/x-ndjson';
/** Per request, from connecting to the end of the answer. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

export interface HttpDestinationOptions {
  /** Milliseconds a request may take before it counts as failed (HTTP_TIMEOUT, retryable). Default 30 000. */
  timeoutMs?: number;
  /**
   * How requests travel; closed with the destination. Default: the shared undici client, which
   * verifies TLS certificates against Node's trust store; there is deliberately no switch to turn
   * that off for generic HTTP.
   */
  transport?: HttpClient;
  /** Clock for `Retry-After` dates; `Date.now` by default. */
  now?: () => number;
}

export function createHttpDestination(config: HttpConfig, options: HttpDestinationOptions = {}): Destination {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const client = options.transport ?? createHttpClient({ timeoutMs, maxReplyBytes: EXCERPT_BYTES });
  const now = options.now ?? Date.now;
  const headers = requestHeaders(config.headers);
  const secrets = [...(config.secrets ?? []), ...headerSecrets(config.headers)];
  const clean = (text: string): string => scrubSecrets(text, secrets);

  return {
    kind: 'http',
    description: config.description,
    async deliver(batch, signal) {
      const sent = await client.send({ url: config.url, headers: { ...headers, ...batchIdHeader(batch) }, body: batch.body }, signal);
      let result: DeliveryResult;
      if (sent.ok) {
        const { reply } = sent;
        const location = reply.header('location');
        result = classifyHttpResponse(
          {
            status: reply.status,
            statusText: clean(reply.statusText),
            retryAfter: reply.header('retry-after'),
            redirectTo: location === null ? null : clean(location),
            // Scrubbed before it is cut short, so that no part of a secret survives the cut.
            bodyExcerpt: oneLineExcerpt(clean(reply.body)),
          },
          config.location,
          now(),
        );
      } else {
        result = classifyNoAnswer(sent.failure.reason, sent.failure, timeoutMs);
      }
      return result.status === 'delivered' ? result : { ...result, message: clean(result.message) };
    },
    close: () => client.close(),
  };
}

/** Content-Type and Content-Encoding first, so that a configured Content-Type replaces the default rather than adding a second. */
function requestHeaders(configured: HttpConfig['headers']): Record<string, string> {
  const byName = new Map<string, [string, string]>([
    ['content-type', ['Content-Type', DEFAULT_CONTENT_TYPE]],
    // The batch body is already gzip; the receiver must know to inflate it.
    ['content-encoding', ['Content-Encoding', 'gzip']],
  ]);
  for (const [name, value] of configured) byName.set(name.toLowerCase(), [name, value]);
  return Object.fromEntries(byName.values());
}
