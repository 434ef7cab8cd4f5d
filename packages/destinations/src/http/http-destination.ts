// POSTs each gzip batch, as is, to a generic HTTP(S) endpoint with the configured headers.
import type { Destination, DeliveryResult } from '../destination.js';
import { classifyHttpResponse, classifyNoAnswer } from './classify-http-response.js';
import type { NoAnswerReason } from './classify-http-response.js';
import type { HttpConfig } from './http-config.js';
import { headerSecrets, scrubSecrets } from './http-secrets.js';
import { oneLineExcerpt, readBodyExcerpt } from './response-excerpt.js';

/** Logpush's HTTP default: NDJSON lines; a `header_Content-Type` parameter replaces it (e.g. for CSV). */
export const DEFAULT_CONTENT_TYPE = 'application/x-ndjson';
/** Per request, from sending the body to reading the answer's first bytes. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

export interface HttpDestinationOptions {
  /** Milliseconds a request may take before it counts as failed (HTTP_TIMEOUT, retryable). Default 30 000. */
  timeoutMs?: number;
  /**
   * Node's global fetch (undici) by default, which verifies TLS certificates against the system's
   * trust store; there is deliberately no switch to turn that off for generic HTTP.
   */
  fetch?: typeof globalThis.fetch;
  /** Clock for `Retry-After` dates; `Date.now` by default. */
  now?: () => number;
}

export function createHttpDestination(config: HttpConfig, options: HttpDestinationOptions = {}): Destination {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const headers = requestHeaders(config.headers);
  const secrets = [...(config.secrets ?? []), ...headerSecrets(config.headers)];
  const clean = (text: string): string => scrubSecrets(text, secrets);

  return {
    kind: 'http',
    description: config.description,
    async deliver(batch, signal) {
      if (signal.aborted) return classifyNoAnswer('aborted', signal.reason, timeoutMs);
      // One controller ends the request for either cause; the flag says which one it was.
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = (): void => controller.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      let result: DeliveryResult;
      try {
        const response = await fetchImpl(config.url, {
          method: 'POST',
          headers,
          body: batch.body,
          // Redirects are answered, not followed: see classifyHttpResponse.
          redirect: 'manual',
          signal: controller.signal,
        });
        const excerpt = await readBodyExcerpt(response.body);
        const location = response.headers.get('location');
        result = classifyHttpResponse(
          {
            status: response.status,
            statusText: clean(response.statusText),
            retryAfter: response.headers.get('retry-after'),
            redirectTo: location === null ? null : clean(location),
            // Scrubbed before it is cut short, so that no part of a secret survives the cut.
            bodyExcerpt: oneLineExcerpt(clean(excerpt)),
          },
          config.location,
          now(),
        );
      } catch (error) {
        const reason: NoAnswerReason = timedOut ? 'timeout' : signal.aborted ? 'aborted' : 'network';
        result = classifyNoAnswer(reason, error, timeoutMs);
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      }
      return result.status === 'delivered' ? result : { ...result, message: clean(result.message) };
    },
    // fetch pools its connections globally: there is nothing of our own to release.
    close: () => Promise.resolve(),
  };
}

/** Content-Type and Content-Encoding first, so that a configured Content-Type replaces the default rather than adding a second. */
function requestHeaders(configured: HttpConfig['headers']): Array<[string, string]> {
  const byName = new Map<string, [string, string]>([
    ['content-type', ['Content-Type', DEFAULT_CONTENT_TYPE]],
    // The batch body is already gzip; the receiver must know to inflate it.
    ['content-encoding', ['Content-Encoding', 'gzip']],
  ]);
  for (const [name, value] of configured) byName.set(name.toLowerCase(), [name, value]);
  return [...byName.values()];
}
