// Finds the Access JWT in a request: the Cf-Access-Jwt-Assertion header first, then the CF_Authorization cookie.
import type { IncomingHttpHeaders } from 'node:http';

export const JWT_HEADER = 'cf-access-jwt-assertion';
export const JWT_COOKIE = 'CF_Authorization';

/** The JWT from the Cf-Access-Jwt-Assertion header, else from the CF_Authorization cookie; undefined when neither. */
export function tokenFromRequest(headers: IncomingHttpHeaders): string | undefined {
  const asserted = headers[JWT_HEADER];
  const fromHeader = typeof asserted === 'string' ? asserted.trim() : undefined;
  if (fromHeader) return fromHeader;
  const cookie = headers.cookie;
  return cookie === undefined ? undefined : cookieValue(cookie, JWT_COOKIE);
}

/**
 * The value of cookie `name` in a Cookie header (`a=1; b="2"`), unquoted; undefined when absent or
 * empty. Node joins repeated Cookie headers with "; ", so one string covers them all. Scans in place
 * rather than splitting, since it runs on every request that has no assertion header.
 */
export function cookieValue(header: string, name: string): string | undefined {
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const equals = header.indexOf('=', start);
    if (equals > start && equals < end && header.slice(start, equals).trim() === name) {
      let value = header.slice(equals + 1, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value === '' ? undefined : value;
    }
    start = end + 1;
  }
  return undefined;
}
