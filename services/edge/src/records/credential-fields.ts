// Credentials no record may carry, whatever a zone's custom fields name: their values are logged as REDACTED.
import { JWT_COOKIE, JWT_HEADER } from '../identity/token-from-request.js';

export const REDACTED = 'REDACTED';

/** Request headers whose whole value is a credential. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', JWT_HEADER]);
/** Cookies whose value is a credential (Access's session token). */
export const CREDENTIAL_COOKIES: ReadonlySet<string> = new Set([JWT_COOKIE]);
/** Headers that carry those cookies among others: only the credential's value is cut out of them. */
export const COOKIE_HEADERS: ReadonlySet<string> = new Set(['cookie', 'set-cookie']);
/**
 * Query parameters that carry bearer tokens, compared in lower case: Access's `token` on its
 * authorization callback, OAuth's, and the cookie's name. A closed list on purpose: a pattern such
 * as /key|token/ would also blank `keyword=` and other plain analytics data.
 */
const CREDENTIAL_PARAMS: ReadonlySet<string> = new Set(['token', 'access_token', 'id_token', 'refresh_token', 'jwt', 'assertion', 'cf_authorization', 'authorization']);

const CREDENTIAL_COOKIE_PAIR = new RegExp(`(^|;)(\\s*)(${[...CREDENTIAL_COOKIES].join('|')})=[^;]*`, 'g');

/** `theme=dark; CF_Authorization=eyJ…` → `theme=dark; CF_Authorization=REDACTED` (a Set-Cookie line alike). */
export function redactCookiePairs(header: string): string {
  return header.replace(CREDENTIAL_COOKIE_PAIR, `$1$2$3=${REDACTED}`);
}

/** A URI or URL with the values of known credential parameters replaced: `/cb?token=eyJ…&q=1` → `/cb?token=REDACTED&q=1`. */
export function redactCredentialParams(uri: string): string {
  const queryAt = uri.indexOf('?');
  if (queryAt === -1) return uri;
  let changed = false;
  const pairs = uri
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1 || !CREDENTIAL_PARAMS.has(pair.slice(0, eq).toLowerCase())) return pair;
      changed = true;
      return `${pair.slice(0, eq)}=${REDACTED}`;
    });
  return changed ? `${uri.slice(0, queryAt)}?${pairs.join('&')}` : uri;
}

/** `value` with every occurrence of `secret` replaced; short secrets are ignored, so a stray 'a' cannot blank a record. */
export function withoutSecret(value: string, secret: string): string {
  return secret.length < 16 || !value.includes(secret) ? value : value.split(secret).join(REDACTED);
}
