// Reads `https://host[:port]/path?header_Authorization=Basic%20…&other=kept`: header_* parameters become request headers.
import { redactUrl } from '@sluice/logging';
import type { ParseResult } from '../destination.js';

/** Holds credentials (header values): log `description`, never the config itself. */
export interface HttpConfig {
  /** Where batches are POSTed: the given URL without its header_* parameters, every other parameter kept as written and in order. */
  url: string;
  /** From the header_<Name> parameters, values URL-decoded, in the order given. */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The request URL with credential-looking query values redacted and the port spelled out, plus the header names (never values). */
  description: string;
  /** `url` with credential-looking query values redacted: what a delivery reports as its location. */
  location: string;
}

const HEADER_PARAM = /^header_/i;
/** RFC 9110 `token`: the characters a header field name may hold. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** CR and LF would split the header into two (request smuggling); NUL is refused by every HTTP stack. */
const FORBIDDEN_VALUE_CHARS = /[\r\n\0]/;
/**
 * Headers the HTTP client sets from the request itself (framing, connection, target) or that would
 * misdescribe the body: Sluice always sends gzip, so a configured Content-Encoding would corrupt it.
 */
const RESERVED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'host', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect']);
const EXAMPLE = 'e.g. https://logs.example.com:8443/ingest?header_Authorization=Basic%20dXNlcjpwYXNz';

export function parseHttpConf(conf: string): ParseResult<HttpConfig> {
  const match = /^(https?):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/i.exec(conf);
  if (!match) return fail(`expected http(s)://host[:port]/path?…, ${EXAMPLE}`);
  const [, rawScheme = '', authority = '', path = '', query, fragment] = match;
  // A raw `#` ends the URL for the HTTP client: whatever follows (often part of a token) would be silently dropped.
  if (fragment !== undefined) return fail('contains "#", which would cut the URL short; percent-encode it as %23');
  // fetch refuses URLs with user:password@, and putting credentials there would also expose them in the URL.
  if (authority.includes('@')) return fail('credentials in the URL (user:password@host) are not supported; send them as header_Authorization=Basic%20<base64 of user:password>');
  // Checked here: the URL parser would read `https:///path` as the host "path".
  if (authority === '') return fail(`a host is required, ${EXAMPLE}`);
  const scheme = rawScheme.toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${authority}${path}`);
  } catch {
    return fail(`"${authority}" is not a valid host[:port]`);
  }

  const kept: string[] = [];
  const headers: Array<readonly [string, string]> = [];
  const seen = new Set<string>();
  for (const pair of query === undefined || query === '' ? [] : query.split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const name = decodeOrUndefined(rawName) ?? rawName;
    if (!HEADER_PARAM.test(name)) {
      // Kept byte for byte: re-encoding could change what the receiver reads (e.g. `+` versus `%20`).
      if (pair !== '') kept.push(pair);
      continue;
    }
    const headerName = name.slice('header_'.length);
    // Messages name the parameter only: its value is typically a credential.
    if (!TOKEN.test(headerName)) return fail(invalidHeaderName(name));
    const lower = headerName.toLowerCase();
    if (RESERVED_HEADERS.has(lower)) return fail(`parameter "${name}": ${headerName} is set by Sluice itself and cannot be configured`);
    if (seen.has(lower)) return fail(`parameter "${name}" is given twice; give each header once`);
    seen.add(lower);
    // decodeURIComponent, not form decoding: a literal `+` (common in base64 tokens) stays a `+`.
    const value = decodeOrUndefined(eq === -1 ? '' : pair.slice(eq + 1));
    if (value === undefined) return fail(`parameter "${name}": its value is not valid percent-encoding`);
    if (FORBIDDEN_VALUE_CHARS.test(value)) return fail(`parameter "${name}": its value holds a line break or NUL, which a header value may not contain`);
    headers.push([headerName, value.trim()]);
  }

  const base = `${scheme}://${authority}${path === '' ? '/' : path}`;
  const url = kept.length === 0 ? base : `${base}?${kept.join('&')}`;
  const port = parsed.port !== '' ? parsed.port : scheme === 'https' ? '443' : '80';
  const shown = redactUrl(`${scheme}://${parsed.hostname}:${port}${parsed.pathname}${kept.length === 0 ? '' : `?${kept.join('&')}`}`);
  const names = headers.map(([headerName]) => headerName);
  return {
    ok: true,
    config: {
      url,
      headers,
      description: names.length === 0 ? shown : `${shown} (headers: ${names.join(', ')})`,
      location: redactUrl(url),
    },
  };
}

function decodeOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Names the parameter only up to its first bad character: a mistyped `header_Authorization:Basic …`
 * (colon for `=`) has the credential inside the "name", and it must not reach a message.
 */
function invalidHeaderName(paramName: string): string {
  const headerName = paramName.slice('header_'.length);
  if (headerName === '') return `parameter "${paramName}" has no header name after "header_"`;
  const bad = [...headerName].findIndex((char) => !TOKEN.test(char));
  const shown = `${paramName.slice(0, 'header_'.length)}${headerName.slice(0, bad)}`;
  const char = headerName[bad] ?? '';
  const what = /^[\x21-\x7e]$/.test(char) ? `"${char}"` : `character U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `parameter "${shown}…" is not a valid header name: ${what} may not appear in one (letters, digits and !#$%&'*+.^_\`|~- only)`;
}

function fail(message: string): ParseResult<HttpConfig> {
  return { ok: false, message };
}
