// Plain http:// for a JWKS: anyone on the path could swap the keys and then forge any token, so it is refused unless loopback and allowed.
import { isIPv4 } from 'node:net';
import { showValue } from '@sluice/pipeline';

/**
 * Why `allow_insecure_jwks` is both required and limited to loopback: the only honest use of an
 * unencrypted JWKS is a development IdP on the same machine, where there is no network path to
 * tamper with. The flag makes that choice visible in the file; refusing it for any other host keeps a
 * development shortcut from ever carrying over to a configuration that crosses a network.
 */
export function jwksUrlProblem(url: string, allowInsecure: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${showValue(url)} is not a URL; expected e.g. "https://<team>.cloudflareaccess.com/cdn-cgi/access/certs"`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol !== 'http:') return `${showValue(url)} is not allowed; expected an https:// URL serving a JWKS`;
  if (!allowInsecure) {
    return `${showValue(url)} is plain http://: whoever can alter the keys in transit can forge any token. Use https://, or for a development IdP on this machine set "allow_insecure_jwks": true`;
  }
  if (!isLoopbackHost(parsed.hostname)) {
    return `${showValue(url)} is plain http:// to a host that is not loopback; "allow_insecure_jwks" permits only 127.0.0.0/8, [::1] and localhost`;
  }
  return undefined;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || (isIPv4(hostname) && hostname.startsWith('127.'));
}
