// Judges one HEC reply: accepted, too large (split and resend), retry later, or give up — from status and code.
import type { DeliveryResult } from '../destination.js';
import { oneLineExcerpt } from '../http/response-excerpt.js';
import { parseRetryAfter } from '../retry/retry-after.js';
import { HEC_CODES } from './hec-status-codes.js';

/** What came back over HTTP; the body is HEC's small JSON reply (or a proxy's page). */
export interface HecReply {
  statusCode: number;
  retryAfter: string | undefined;
  body: string;
}

export type Failure = Exclude<DeliveryResult, { status: 'delivered' }>;

export type HecVerdict =
  | { status: 'accepted' }
  /** HTTP 413: the request exceeded HEC's `max_content_length`; smaller requests may pass. */
  | { status: 'too-large' }
  | Failure;

interface HecReplyBody {
  text?: string;
  code?: number;
  invalidEventNumber?: number;
}

export function classifyHecReply(reply: HecReply, nowMs = Date.now()): HecVerdict {
  // Checked first: whatever the body says, only a smaller request can get past the size limit.
  if (reply.statusCode === 413) return { status: 'too-large' };
  const body = readReplyBody(reply.body);
  const known = body?.code !== undefined ? HEC_CODES.get(body.code) : undefined;
  const ok = reply.statusCode >= 200 && reply.statusCode < 300;
  // A 2xx means HEC took the data; only a code that names a failure overrides that. Unknown codes on
  // a 200 (such as newer "approaching capacity" warnings) are advisory and must not cause a resend.
  if (ok && (known === undefined || known.outcome === 'accepted')) return { status: 'accepted' };
  const message = describeReply(reply, body);
  const retryAfterMs = reply.retryAfter !== undefined ? parseRetryAfter(reply.retryAfter, nowMs) : undefined;
  if (known !== undefined && known.outcome !== 'accepted') return failure(known.outcome, `HEC_${known.name}`, message, retryAfterMs);
  const status = reply.statusCode;
  // No redirect is followed: it would carry the token to wherever the Location header points.
  const retryable = status === 408 || status === 429 || status >= 500;
  return failure(retryable ? 'retryable' : 'rejected', `HEC_HTTP_${status}`, message, retryAfterMs);
}

function failure(outcome: 'retryable' | 'rejected', code: string, message: string, retryAfterMs: number | undefined): Failure {
  if (outcome === 'rejected') return { status: 'rejected', code, message };
  return retryAfterMs === undefined ? { status: 'retryable', code, message } : { status: 'retryable', code, message, retryAfterMs };
}

function readReplyBody(text: string): HecReplyBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  const body: HecReplyBody = {};
  if (typeof fields['text'] === 'string') body.text = fields['text'];
  if (typeof fields['code'] === 'number') body.code = fields['code'];
  if (typeof fields['invalid-event-number'] === 'number') body.invalidEventNumber = fields['invalid-event-number'];
  return body;
}

function describeReply(reply: HecReply, body: HecReplyBody | undefined): string {
  const head = `Splunk HEC answered HTTP ${reply.statusCode}`;
  if (body?.code === undefined) {
    // Not HEC's JSON: a load balancer or proxy answered. A short, single-line excerpt is enough to tell which.
    const excerpt = oneLineExcerpt(reply.body);
    return excerpt === '' ? head : `${head}: ${excerpt}`;
  }
  const event = body.invalidEventNumber !== undefined ? ` (first invalid event: ${body.invalidEventNumber})` : '';
  return `${head}, code ${body.code}: ${body.text ?? 'no text'}${event}`;
}
