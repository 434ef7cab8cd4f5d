// Why a request got no reply, with undici's error codes mapped onto the socket-level codes the classifiers know.

/** Our own deadline, the caller's abort, or the network (refused, reset, DNS, TLS). */
export type NoReplyReason = 'timeout' | 'aborted' | 'network';

export interface NoReply {
  reason: NoReplyReason;
  /** For `network`: the socket or TLS error code (`ECONNREFUSED`, `ECONNRESET`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …). */
  code?: string;
  message: string;
}

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/**
 * undici names a peer that closes before replying `UND_ERR_SOCKET` ("other side closed"), where
 * node:http said `ECONNRESET` ("socket hang up"): mapped back, so codes stay what they were.
 */
const SAME_AS: ReadonlyMap<string, string> = new Map([['UND_ERR_SOCKET', 'ECONNRESET']]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function noReplyFrom(error: unknown, timeoutMs: number): NoReply {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  // A connection tried on several addresses fails with an AggregateError whose parts carry the code.
  const first = Array.isArray(shape.errors) && typeof shape.errors[0] === 'object' ? (shape.errors[0] as ErrorShape) : undefined;
  const raw = typeof shape.code === 'string' ? shape.code : typeof first?.code === 'string' ? first.code : undefined;
  const text = typeof shape.message === 'string' && shape.message !== '' ? shape.message : typeof first?.message === 'string' ? first.message : String(error);
  if (raw !== undefined && TIMEOUT_CODES.has(raw)) return timedOut(timeoutMs);
  if (raw === 'UND_ERR_ABORTED') return aborted();
  const code = raw === undefined ? undefined : (SAME_AS.get(raw) ?? raw);
  return code === undefined ? { reason: 'network', message: text } : { reason: 'network', code, message: text };
}

export function timedOut(timeoutMs: number): NoReply {
  return { reason: 'timeout', message: `no reply within ${timeoutMs} ms` };
}

export function aborted(): NoReply {
  return { reason: 'aborted', message: 'aborted before the reply arrived' };
}
