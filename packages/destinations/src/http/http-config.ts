// Reads `https://host[:port]/path?header_Authorization=Basic%20…&other=kept`: header_* parameters become request headers.
import { redactUrl } from '@sluice/logging';
import type { ParseResult } from '../destination.js';
import { createHeaderParams, decodeOrUndefined, isHeaderParam } from './header-params.js';

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
  /** Credentials other than header values (a Sumo collector code in the path), kept out of messages too. */
  secrets?: readonly string[];
}

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
  const headerParams = createHeaderParams();
  for (const pair of query === undefined || query === '' ? [] : query.split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const name = decodeOrUndefined(rawName) ?? rawName;
    if (!isHeaderParam(name)) {
      // Kept byte for byte: re-encoding could change what the receiver reads (e.g. `+` versus `%20`).
      if (pair !== '') kept.push(pair);
      continue;
    }
    const problem = headerParams.add(name, eq === -1 ? '' : pair.slice(eq + 1));
    if (problem !== undefined) return fail(problem);
  }
  const { headers } = headerParams;

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

function fail(message: string): ParseResult<HttpConfig> {
  return { ok: false, message };
}
