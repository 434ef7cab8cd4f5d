// Sorts an HTTP answer (or the lack of one) into delivered, retry-later and give-up, with stable HTTP_* codes.
import type { DeliveryResult } from '../destination.js';
import { parseRetryAfter } from '../retry/retry-after.js';

export type DeliveryFailure = Exclude<DeliveryResult, { status: 'delivered' }>;

/** What the classification needs from a response; texts already scrubbed of secrets. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  /** The raw `Retry-After` header, or null. */
  retryAfter: string | null;
  /** The raw `Location` header of a redirect, or null. */
  redirectTo: string | null;
  /** The start of the response body on one line, for the message ('' when there was none). */
  bodyExcerpt: string;
}

/**
 * 2xx delivered; 408, 429 and 5xx retryable (honouring Retry-After); 3xx and every other 4xx
 * rejected, since sending the same batch again cannot change the answer until someone changes the
 * configuration or the receiver. A 500 is retried even when a receiver means it permanently (e.g.
 * ClickHouse answers 500 to a row it cannot parse): from outside, a 500 cannot be told from a
 * passing fault, and retrying keeps the records in Kafka rather than losing them.
 */
export function classifyHttpResponse(answer: HttpAnswer, location: string, nowMs: number = Date.now()): DeliveryResult {
  const { status } = answer;
  if (status >= 200 && status <= 299) return { status: 'delivered', location };
  const code = `HTTP_${status}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = answer.retryAfter === null ? undefined : parseRetryAfter(answer.retryAfter, nowMs);
    const message = describe(answer);
    return retryAfterMs === undefined ? { status: 'retryable', code, message } : { status: 'retryable', code, message, retryAfterMs };
  }
  if (status >= 300 && status <= 399) {
    // Not followed: a 301/302 turns the POST into a body-less GET, and a redirect to another host would take the headers there.
    const target = answer.redirectTo === null ? '' : ` to ${answer.redirectTo}`;
    return { status: 'rejected', code, message: `${describe(answer)}; the destination redirects${target}: configure the final URL, since redirects are not followed` };
  }
  return { status: 'rejected', code, message: describe(answer) };
}

/** Why a request got no answer: our own per-request timeout, the caller's abort, or the network. */
export type NoAnswerReason = 'timeout' | 'aborted' | 'network';

interface ErrorShape {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** Reads the socket-level code from the error, or from its `cause` (as Node's fetch wraps it in `TypeError: fetch failed`). */
export function classifyNoAnswer(reason: NoAnswerReason, error: unknown, timeoutMs: number): DeliveryFailure {
  if (reason === 'timeout') return { status: 'retryable', code: 'HTTP_TIMEOUT', message: `no complete answer within ${timeoutMs} ms` };
  // Nothing is wrong with the destination: the caller stopped (shutdown, rebalance); the batch can go again.
  if (reason === 'aborted') return { status: 'retryable', code: 'HTTP_ABORTED', message: 'the delivery was aborted before an answer arrived' };
  const outer = (error ?? {}) as ErrorShape;
  const cause = (outer.cause ?? outer) as ErrorShape;
  const causeCode = typeof cause.code === 'string' ? cause.code : undefined;
  const causeMessage = typeof cause.message === 'string' ? cause.message : String(error);
  const detail = causeCode !== undefined && !causeMessage.includes(causeCode) ? `${causeCode}: ${causeMessage}` : causeMessage;
  // A certificate the client cannot verify stays unverifiable until someone fixes it (or the URL's scheme or port).
  if (causeCode !== undefined && /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(causeCode)) {
    return { status: 'rejected', code: 'HTTP_TLS', message: `TLS failed: ${detail}` };
  }
  // The Fetch standard blocks some ports (e.g. 6000, 10080) outright; no retry will reach them.
  if (causeMessage === 'bad port') return { status: 'rejected', code: 'HTTP_BAD_PORT', message: "Node's fetch refuses this port (Fetch standard's blocked ports); use another port" };
  return { status: 'retryable', code: 'HTTP_CONNECTION', message: `no answer: ${detail}` };
}

function describe(answer: HttpAnswer): string {
  const line = `HTTP ${answer.status}${answer.statusText === '' ? '' : ` ${answer.statusText}`}`;
  return answer.bodyExcerpt === '' ? line : `${line}: ${answer.bodyExcerpt}`;
}
