// What of a request's headers and cookies a zone logs: only the names its custom-fields list names, credentials redacted.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { CustomFieldSet } from '@sluice/pipeline';
import { forEachCookie } from '../proxy/cookies.js';
import { COOKIE_HEADERS, CREDENTIAL_COOKIES, CREDENTIAL_HEADERS, REDACTED, redactCookiePairs } from './credential-fields.js';

export interface LoggedHeaders {
  readonly request: (headers: IncomingHttpHeaders | OutgoingHttpHeaders) => Record<string, string>;
  readonly response: (headers: OutgoingHttpHeaders) => Record<string, string>;
  readonly cookies: (cookieHeader: string | readonly string[] | undefined) => Record<string, string>;
  /** The listed fields whose values are credentials and are logged redacted, e.g. `request header authorization`, for the start-up log. */
  readonly redacted: readonly string[];
}

type HeaderValue = string | number | readonly string[];

/**
 * Compiled once per zone. Header objects here are Node's: lower-case names, arrays for repeated
 * headers. Credentials are redacted here, where the list is compiled, so no configuration can log
 * them: a zone may still name them (its config stays valid), and gets `REDACTED`.
 */
export function compileLoggedHeaders(fields: CustomFieldSet): LoggedHeaders {
  const credentialHeaders = (kind: string, names: readonly string[]) =>
    names.filter((n) => CREDENTIAL_HEADERS.has(n) || COOKIE_HEADERS.has(n)).map((n) => `${kind} header ${n}${COOKIE_HEADERS.has(n) ? ` (its ${[...CREDENTIAL_COOKIES].join(', ')} value)` : ''}`);
  const redacted = [...credentialHeaders('request', fields.requestHeaders), ...credentialHeaders('response', fields.responseHeaders), ...fields.cookies.filter((n) => CREDENTIAL_COOKIES.has(n)).map((n) => `cookie ${n}`)];
  return { request: headerPicker(fields.requestHeaders), response: headerPicker(fields.responseHeaders), cookies: cookiePicker(fields.cookies), redacted };
}

/** How one listed header's value is logged: as is, as REDACTED, or with the credential cookies' values cut out. */
function valueLogger(name: string): (value: HeaderValue) => string {
  if (CREDENTIAL_HEADERS.has(name)) return () => REDACTED;
  const each = COOKIE_HEADERS.has(name) ? redactCookiePairs : (text: string) => text;
  return (value) => (Array.isArray(value) ? value.map(each).join(', ') : each(String(value)));
}

function headerPicker(names: readonly string[]): (headers: IncomingHttpHeaders | OutgoingHttpHeaders) => Record<string, string> {
  const fields = names.map((name) => ({ name, log: valueLogger(name) }));
  return (headers) => {
    const kept: Record<string, string> = {};
    for (const { name, log } of fields) {
      const value = headers[name];
      if (value !== undefined) kept[name] = log(value);
    }
    return kept;
  };
}

function cookiePicker(names: readonly string[]): (cookieHeader: string | readonly string[] | undefined) => Record<string, string> {
  if (names.length === 0) return () => ({});
  const wanted = new Set(names);
  return (cookieHeader) => {
    const kept: Record<string, string> = {};
    forEachCookie(cookieHeader, (name, value) => {
      if (wanted.has(name) && !Object.hasOwn(kept, name)) kept[name] = CREDENTIAL_COOKIES.has(name) ? REDACTED : value;
    });
    return kept;
  };
}
