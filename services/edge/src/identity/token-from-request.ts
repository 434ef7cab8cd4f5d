// Finds the Access JWT in a request: the Cf-Access-Jwt-Assertion header first, then the CF_Authorization cookie.
import type { IncomingHttpHeaders } from 'node:http';
import { cookieValue } from '../proxy/cookies.js';

export const JWT_HEADER = 'cf-access-jwt-assertion';
export const JWT_COOKIE = 'CF_Authorization';

/** The JWT from the Cf-Access-Jwt-Assertion header, else from the CF_Authorization cookie; undefined when neither. */
export function tokenFromRequest(headers: IncomingHttpHeaders): string | undefined {
  const asserted = headers[JWT_HEADER];
  const fromHeader = typeof asserted === 'string' ? asserted.trim() : undefined;
  if (fromHeader) return fromHeader;
  // Node joins repeated Cookie headers with "; ", so one string covers them all.
  const fromCookie = cookieValue(headers.cookie, JWT_COOKIE);
  return fromCookie === '' ? undefined : fromCookie;
}
