// Sorts S3 failures into retry-later and give-up, from the SDK's error name, HTTP status and socket codes.
import { redactText } from '@sluice/logging';
import type { DeliveryResult } from '../destination.js';
import { parseRetryAfter } from '../retry/retry-after.js';

const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TimeoutError',
  'RequestTimeoutException',
]);

const RETRYABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  $response?: { headers?: Record<string, string> };
}

export function classifyS3Error(error: unknown): Exclude<DeliveryResult, { status: 'delivered' }> {
  const e = (error ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? 'Error';
  // A reply whose body is not S3's XML (a proxy's or load balancer's 503 page) leaves the SDK with a
  // parse error and no S3 error code: the HTTP status is then the only thing worth reporting.
  const unparsed = status !== undefined && /Deserialization error|XML parse error|char '.' is not expected/i.test(e.message ?? '');
  const code = unparsed ? `S3_HTTP_${status}` : `S3_${name}`;
  const message = unparsed
    ? `HTTP ${status} from the store, with a body that is not an S3 error document`
    : redactText(`${name}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`);
  const retryAfter = e.$response?.headers?.['retry-after'];
  const retryAfterMs = retryAfter !== undefined ? parseRetryAfter(retryAfter) : undefined;
  if (
    RETRYABLE_NAMES.has(name) ||
    (e.code !== undefined && RETRYABLE_SOCKET_CODES.has(e.code)) ||
    e.$retryable !== undefined ||
    status === 429 ||
    // 501: the store lacks a feature the destination asks for (S3-compatible stores and `sse`): permanent.
    (status !== undefined && status >= 500 && status !== 501) ||
    (status === undefined && name !== 'AbortError')
  ) {
    return retryAfterMs === undefined ? { status: 'retryable', code, message } : { status: 'retryable', code, message, retryAfterMs };
  }
  return { status: 'rejected', code, message };
}
