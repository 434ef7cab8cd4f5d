// Reads `header_<Name>=<value>` query parameters into request headers; shared by every destination URI that takes them.
import { BATCH_ID_HEADER } from '../http-client/batch-id-header.js';

/** Holds the headers read so far; `add` says what is wrong with one parameter, naming it but never quoting its value. */
export interface HeaderParams {
  /** Takes one `header_…` parameter: its decoded name and its raw (still percent-encoded) value. Undefined when usable. */
  add(paramName: string, rawValue: string): string | undefined;
  /** From the parameters added, values URL-decoded and trimmed, in the order given. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
}

const HEADER_PARAM = /^header_/i;
/** RFC 9110 `token`: the characters a header field name may hold. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** CR and LF would split the header into two (request smuggling); NUL is refused by every HTTP stack. */
const FORBIDDEN_VALUE_CHARS = /[\r\n\0]/;

/**
 * Headers the HTTP client sets from the request itself (framing, connection, target) or that would
 * misdescribe the body: Sluice always sends gzip, so a configured Content-Encoding would corrupt it.
 * The batch id is Sluice's own, so that a receiver can trust it for deduplication.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'host', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', BATCH_ID_HEADER]);

/** Whether a (decoded) query parameter name is a `header_<Name>` parameter, in any letter case. */
export function isHeaderParam(name: string): boolean {
  return HEADER_PARAM.test(name);
}

/** `reserved`: lower-case names a parameter may not set, because the destination sets them itself. */
export function createHeaderParams(reserved: ReadonlySet<string> = RESERVED_HEADERS): HeaderParams {
  const headers: Array<readonly [string, string]> = [];
  const seen = new Set<string>();
  return {
    headers,
    add(name, rawValue) {
      const headerName = name.slice('header_'.length);
      // Messages name the parameter only: its value is typically a credential.
      if (!TOKEN.test(headerName)) return invalidHeaderName(name);
      const lower = headerName.toLowerCase();
      if (reserved.has(lower)) return `parameter "${name}": ${headerName} is set by Sluice itself and cannot be configured`;
      if (seen.has(lower)) return `parameter "${name}" is given twice; give each header once`;
      seen.add(lower);
      // decodeURIComponent, not form decoding: a literal `+` (common in base64 tokens) stays a `+`.
      const value = decodeOrUndefined(rawValue);
      if (value === undefined) return `parameter "${name}": its value is not valid percent-encoding`;
      if (FORBIDDEN_VALUE_CHARS.test(value)) return `parameter "${name}": its value holds a line break or NUL, which a header value may not contain`;
      headers.push([headerName, value.trim()]);
      return undefined;
    },
  };
}

export function decodeOrUndefined(text: string): string | undefined {
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
