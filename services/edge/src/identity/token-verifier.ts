// Verifies Access-style RS256 JWTs against a key source, the app's audience and the issuer; recent successes are cached.
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { identityFromClaims, unverifiedClaims } from './identity-claims.js';
import type { ClaimNames } from './identity-claims.js';
import type { KeySource } from './jwks-key-source.js';
import { createVerifiedCache } from './verified-cache.js';
import { KeysUnavailableError, failureFromError, quote, statusFor } from './verify-failure.js';
import type { IdentityErrorCode, VerifyResult } from './verified-identity.js';

export interface TokenVerifierOptions {
  readonly keys: KeySource;
  readonly issuer: string;
  /** Clock skew allowed on exp/nbf/iat, seconds. Default 30. */
  readonly leewaySeconds?: number;
  /** Claim holding the user's groups. Default 'groups'. */
  readonly groupsClaim?: string;
  /** Claim naming the IdP connection. Default 'idp'. */
  readonly connectionClaim?: string;
  /** Milliseconds since the epoch. Default Date.now. */
  readonly now?: () => number;
  /** Verified results kept per (token, audience) so a hot path does not redo RSA; default 10_000 entries. */
  readonly cacheSize?: number;
}

export interface TokenVerifier {
  /** Never throws: every failure is a result with a code. */
  verify(token: string, audience: string): Promise<VerifyResult>;
}

/** Only RS256, as Access signs: deciding this before any key lookup is what defeats HS256-with-the-public-key confusion. */
const ACCEPTED_ALGORITHMS = ['RS256'];
/**
 * The longest a cached success is reused without checking the signature again: a key removed from
 * the JWKS (the key sources re-read it at least this often) stops being honoured within a minute.
 */
export const MAX_CACHED_MS = 60_000;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { keys, issuer } = options;
  const leewaySeconds = options.leewaySeconds ?? 30;
  const leewayMs = leewaySeconds * 1000;
  const now = options.now ?? Date.now;
  const names: ClaimNames = { groups: options.groupsClaim ?? 'groups', connection: options.connectionClaim ?? 'idp' };
  const cache = createVerifiedCache(options.cacheSize ?? 10_000);
  const getKey = keyLookup(keys);

  function refuse(token: string, code: IdentityErrorCode, reason: string): VerifyResult {
    return { ok: false, code, status: statusFor(code), reason: withoutToken(reason, token), unverified: unverifiedClaims(token, names) };
  }

  async function verifyUncached(token: string, audience: string, nowMs: number): Promise<VerifyResult> {
    if (!isCompactJws(token)) return refuse(token, 'IDENTITY_TOKEN_MALFORMED', 'not a JWT: expected three base64url parts separated by dots');
    let kid: unknown;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256') return refuse(token, 'IDENTITY_ALG_REFUSED', `algorithm ${quote(header.alg ?? '(none given)')} is refused; only RS256 is accepted`);
      kid = header.kid;
    } catch {
      return refuse(token, 'IDENTITY_TOKEN_MALFORMED', 'not a JWT: the header is not base64url-encoded JSON');
    }
    if (typeof kid !== 'string' || kid === '') return refuse(token, 'IDENTITY_TOKEN_MALFORMED', 'the header has no "kid" naming the signing key');
    try {
      const { payload } = await jwtVerify(token, getKey, {
        algorithms: ACCEPTED_ALGORITHMS,
        audience,
        issuer,
        clockTolerance: leewaySeconds,
        currentDate: new Date(nowMs),
        requiredClaims: ['exp'],
      });
      // jose checks `iat` only with maxTokenAge; a token issued in the future is as suspect as one not yet valid.
      if (typeof payload.iat === 'number' && payload.iat * 1000 > nowMs + leewayMs) {
        return refuse(token, 'IDENTITY_NOT_YET_VALID', `the token was issued in the future (iat ${new Date(payload.iat * 1000).toISOString()}, now ${new Date(nowMs).toISOString()})`);
      }
      const identity = identityFromClaims(payload, token, names);
      if ('problem' in identity) return refuse(token, 'IDENTITY_CLAIMS_INVALID', identity.problem);
      const result: VerifyResult = { ok: true, identity };
      cache.set(token, audience, result, Math.min(identity.expiresAtMs + leewayMs, nowMs + MAX_CACHED_MS));
      return result;
    } catch (error) {
      const failure = failureFromError(error, { kid, audience, issuer, leewaySeconds, nowMs, keysDescription: keys.description });
      return refuse(token, failure.code, failure.reason);
    }
  }

  return {
    verify(token, audience) {
      if (typeof token !== 'string' || token === '') return Promise.resolve(refuse('', 'IDENTITY_TOKEN_MISSING', 'no token in the Cf-Access-Jwt-Assertion header or CF_Authorization cookie'));
      const nowMs = now();
      return cache.get(token, audience, nowMs) ?? verifyUncached(token, audience, nowMs);
    },
  };
}

/**
 * The key source's lookup, with its own failures (unreachable, unparseable) told apart from an
 * unknown kid: the first is the gateway's problem (503), the second the token's (401).
 */
function keyLookup(keys: KeySource): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys.getKey(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new KeysUnavailableError(keys.description, error);
    }
  };
}

function isCompactJws(token: string): boolean {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  return first > 0 && second > first && token.indexOf('.', second + 1) < 0;
}

/** A last guard for the promise that reasons never quote the token: no part of it long enough to matter survives. */
function withoutToken(reason: string, token: string): string {
  let safe = reason;
  for (const part of token.split('.')) {
    if (part.length >= 8 && safe.includes(part)) safe = safe.split(part).join('[token]');
  }
  return safe;
}
