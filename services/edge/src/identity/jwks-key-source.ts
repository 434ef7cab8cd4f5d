// Where the verifier gets its public keys: a JWKS URL (the IdP's certs endpoint) or a local JWKS file.
import type { JWTVerifyGetKey } from 'jose';
import { createJwksFileSource } from './jwks-file-source.js';
import { createJwksUrlSource } from './jwks-url-source.js';

export { KEYS_MAX_AGE_MS } from './jwks-max-age.js';

export interface KeySource {
  readonly getKey: JWTVerifyGetKey;
  /** Names the source in reasons and logs, e.g. `JWKS https://team.cloudflareaccess.com/cdn-cgi/access/certs`. */
  readonly description: string;
}

export type JwksLocation = { readonly url: string } | { readonly file: string };

export interface JwksKeySourceOptions {
  /** Least time between re-reads on an unknown kid, ms. Default 30_000. */
  readonly cooldownMs?: number;
  /** URL fetch timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Milliseconds since the epoch, for the file's re-read timing and the URL's periodic refresh. Default Date.now. */
  readonly now?: () => number;
}

/**
 * A file is read and checked now (an Error with code EDGE_JWKS_INVALID says what is wrong); a URL
 * resolves at once and is fetched in the background, so a gateway starts while its IdP is briefly
 * unreachable; until keys arrive, requests fail with IDENTITY_KEYS_UNAVAILABLE.
 */
export async function createJwksKeySource(location: JwksLocation, options: JwksKeySourceOptions = {}): Promise<KeySource> {
  if ('url' in location) return createJwksUrlSource(location.url, options);
  return createJwksFileSource(location.file, options);
}
