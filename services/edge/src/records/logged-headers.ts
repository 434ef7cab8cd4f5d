// What of a request's headers and cookies a zone logs: only the names its custom-fields list names, nothing else.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { CustomFieldSet } from '@sluice/pipeline';
import { forEachCookie } from '../proxy/cookies.js';

export interface LoggedHeaders {
  readonly request: (headers: IncomingHttpHeaders | OutgoingHttpHeaders) => Record<string, string>;
  readonly response: (headers: OutgoingHttpHeaders) => Record<string, string>;
  readonly cookies: (cookieHeader: string | readonly string[] | undefined) => Record<string, string>;
}

/** Compiled once per zone. Header objects here are Node's: lower-case names, arrays for repeated headers. */
export function compileLoggedHeaders(fields: CustomFieldSet): LoggedHeaders {
  return { request: headerPicker(fields.requestHeaders), response: headerPicker(fields.responseHeaders), cookies: cookiePicker(fields.cookies) };
}

function headerPicker(names: readonly string[]): (headers: IncomingHttpHeaders | OutgoingHttpHeaders) => Record<string, string> {
  return (headers) => {
    const kept: Record<string, string> = {};
    for (const name of names) {
      const value = headers[name];
      if (value === undefined) continue;
      kept[name] = Array.isArray(value) ? value.join(', ') : String(value);
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
      if (wanted.has(name) && !Object.hasOwn(kept, name)) kept[name] = value;
    });
    return kept;
  };
}
