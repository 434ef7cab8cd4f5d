// The headers an origin receives: the client's minus hop-by-hop and identity headers, plus the verified identity.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { RAY_ID_HEADER } from '../records/ray-id.js';

/** The user identity the app reads (Access's per-request identity header). */
export const USER_HEADER = 'cf-access-user';
export const EMAIL_HEADER = 'cf-access-authenticated-user-email';
export const JWT_ASSERTION_HEADER = 'cf-access-jwt-assertion';
export const CONNECTING_IP_HEADER = 'cf-connecting-ip';

/** RFC 9110 §7.6.1 connection-specific headers, plus the legacy ones proxies still meet. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Headers only the gateway may set: a client sending them is trying to speak for the gateway. */
const GATEWAY_ONLY = new Set([USER_HEADER, EMAIL_HEADER, JWT_ASSERTION_HEADER, RAY_ID_HEADER, CONNECTING_IP_HEADER]);

export interface ForwardedIdentity {
  readonly user: string;
  readonly email: string;
  /** The verified token, passed on so the app can check it itself, as Access does. */
  readonly token: string;
}

export interface ForwardContext {
  readonly clientIp: string;
  readonly scheme: 'http' | 'https';
  readonly rayId: string;
}

/** Names listed in a Connection header are hop-by-hop for this message too (RFC 9110 §7.6.1). */
function connectionTokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value).split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
}

/** The client's headers without anything the client may not decide for the origin. */
export function strippedRequestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || GATEWAY_ONLY.has(name) || (listed.length > 0 && listed.includes(name))) continue;
    out[name] = headers[name];
  }
  // `TE: trailers` is the one TE value a proxy passes on (RFC 9110 §10.1.4).
  if (typeof headers.te === 'string' && headers.te.toLowerCase().split(',').some((t) => t.trim() === 'trailers')) out['te'] = 'trailers';
  return out;
}

/** Adds what the gateway vouches for to `stripped` (mutated and returned). */
export function withGatewayHeaders(stripped: OutgoingHttpHeaders, identity: ForwardedIdentity, context: ForwardContext, incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  stripped[USER_HEADER] = identity.user;
  stripped[EMAIL_HEADER] = identity.email;
  stripped[JWT_ASSERTION_HEADER] = identity.token;
  stripped[RAY_ID_HEADER] = context.rayId;
  stripped[CONNECTING_IP_HEADER] = context.clientIp;
  const prior = incoming['x-forwarded-for'];
  stripped['x-forwarded-for'] = prior === undefined || prior === '' ? context.clientIp : `${Array.isArray(prior) ? prior.join(', ') : prior}, ${context.clientIp}`;
  stripped['x-forwarded-proto'] = context.scheme;
  if (incoming.host !== undefined) stripped['x-forwarded-host'] = incoming.host;
  return stripped;
}

/** The origin's response headers without hop-by-hop ones; the gateway adds the RayID. */
export function forwardedResponseHeaders(headers: IncomingHttpHeaders, rayId: string): OutgoingHttpHeaders {
  const listed = connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || (listed.length > 0 && listed.includes(name))) continue;
    out[name] = headers[name];
  }
  out[RAY_ID_HEADER] = rayId;
  return out;
}
