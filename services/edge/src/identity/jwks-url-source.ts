// Keys from a JWKS URL through jose's remote set, refreshed in the background so a slow IdP never holds up a request that has keys.
import { createRemoteJWKSet, errors } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { JwksInvalidError } from './jwks-file.js';
import { KEYS_MAX_AGE_MS } from './jwks-max-age.js';
import type { JwksKeySourceOptions, KeySource } from './jwks-key-source.js';

export function createJwksUrlSource(url: string, options: JwksKeySourceOptions): KeySource {
  const now = options.now ?? Date.now;
  const location = parseJwksUrl(url);
  // cacheMaxAge Infinity: jose would otherwise refetch inline once the set is old, stalling a request
  // and failing it while the IdP is down; the periodic refresh below does that work off the request.
  const remote = createRemoteJWKSet(location, {
    cooldownDuration: options.cooldownMs ?? 30_000,
    timeoutDuration: options.timeoutMs ?? 5000,
    cacheMaxAge: Infinity,
  });
  let refreshedAtMs = now();
  const refreshInBackground = (): void => {
    refreshedAtMs = now();
    // A failed refresh keeps the keys it had; the next one comes a KEYS_MAX_AGE_MS later.
    remote.reload().catch(() => undefined);
  };
  // Warm the set up so the first request need not wait for the IdP.
  refreshInBackground();

  const getKey: JWTVerifyGetKey = async (header, token) => {
    // `fresh` is true once a set has loaded (nothing expires with an infinite max age).
    const loaded = remote.fresh;
    if (loaded && !remote.reloading && now() - refreshedAtMs >= KEYS_MAX_AGE_MS) refreshInBackground();
    try {
      return await remote(header, token);
    } catch (error) {
      // With keys in hand, a failed refetch for an unknown kid is that kid's problem (401), not an outage (503).
      if (loaded && !(error instanceof errors.JWKSNoMatchingKey) && !(error instanceof errors.JWKSMultipleMatchingKeys)) {
        throw new errors.JWKSNoMatchingKey('no matching key, and the JWKS could not be refetched', { cause: error });
      }
      throw error;
    }
  };
  return { getKey, description: `JWKS ${location.href}` };
}

function parseJwksUrl(url: string): URL {
  let location: URL;
  try {
    location = new URL(url);
  } catch {
    throw new JwksInvalidError(url, `JWKS URL ${JSON.stringify(url)} is not a URL`);
  }
  if (location.protocol !== 'https:' && location.protocol !== 'http:') throw new JwksInvalidError(url, `JWKS URL ${url} must be http(s), not ${location.protocol}`);
  return location;
}
