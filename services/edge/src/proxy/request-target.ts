// Checks a request target before it is forwarded: origin-form only, never above the origin's base path, never naming another host.

export type TargetCheck = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly code: TargetRefusal };

export type TargetRefusal = 'EDGE_TARGET_NOT_ORIGIN_FORM' | 'EDGE_TARGET_HOST_MISMATCH' | 'EDGE_TARGET_ESCAPES_BASE_PATH';

const ABSOLUTE_FORM = /^(https?):\/\/([^/?#\\]*)(.*)$/i;
/** Percent-escapes of a dot, a slash, a backslash, and of `%` itself (so `%252e` is seen as an origin that decodes twice would see it). */
const DOT_OR_SEPARATOR_ESCAPE = /%(2e|2f|5c|25)/gi;

/**
 * `hostName` is the Host header's lower-case name, by which the app was chosen. An absolute-form
 * target (`GET http://host/path`) is accepted only when its authority names that same host, and is
 * then forwarded in origin form: origins such as nginx route by the target's authority, not by Host
 * (RFC 9112 §3.2.2), so passing it on would let a client pick another virtual host behind the origin.
 */
export function checkRequestTarget(target: string, hostName: string): TargetCheck {
  let path = target;
  if (!target.startsWith('/')) {
    const absolute = ABSOLUTE_FORM.exec(target);
    // Asterisk-form (`OPTIONS *`), authority-form (`CONNECT host:443`) and anything else: the gateway is no forward proxy.
    if (absolute === null) return { ok: false, code: 'EDGE_TARGET_NOT_ORIGIN_FORM' };
    const authority = absolute[2];
    if (authority.includes('@') || authorityHost(authority) !== hostName) return { ok: false, code: 'EDGE_TARGET_HOST_MISMATCH' };
    const rest = absolute[3];
    path = rest.startsWith('/') ? rest : `/${rest}`;
  }
  const query = path.indexOf('?');
  return climbsAbove(query === -1 ? path : path.slice(0, query)) ? { ok: false, code: 'EDGE_TARGET_ESCAPES_BASE_PATH' } : { ok: true, path };
}

/** `WIKI.example.com:8080` → `wiki.example.com`; `[::1]:80` → `[::1]`; undefined for an authority URL parsing refuses. */
function authorityHost(authority: string): string | undefined {
  try {
    return new URL(`http://${authority}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * True when the path's `..` segments would take it above its first segment, as seen by an origin
 * that decodes `%2e`, `%2f` and `%5c` (once or twice) and treats a backslash as a slash. Empty
 * segments (`//`) count for nothing, as with origins that merge slashes.
 */
function climbsAbove(path: string): boolean {
  let decoded = path;
  for (let round = 0; round < 3 && decoded.includes('%'); round++) {
    const next = decoded.replace(DOT_OR_SEPARATOR_ESCAPE, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
    if (next === decoded) break;
    decoded = next;
  }
  if (!decoded.includes('.')) return false;
  let depth = 0;
  for (const segment of decoded.split(/[/\\]/)) {
    if (segment === '..') {
      if (depth === 0) return true;
      depth--;
    } else if (segment !== '.' && segment !== '') {
      depth++;
    }
  }
  return false;
}
