// Why the gateway refused someone, in words: one fixed sentence per refusal code, for the access_requests record.
import type { IdentityErrorCode } from './verified-identity.js';

/** Every code a refused token or user gets: the verifier's, and the app's allow list saying no. */
export type DenialCode = IdentityErrorCode | 'IDENTITY_USER_NOT_ALLOWED';

/**
 * Fixed text, never built from the request: a denied record must not carry the token or anything an
 * attacker wrote into it (the verifier's own `reason`, which quotes claims, stays in the logs).
 */
const DENY_REASONS: Readonly<Record<DenialCode, string>> = {
  IDENTITY_TOKEN_MISSING: 'no token: the request carried no Access JWT',
  IDENTITY_TOKEN_MALFORMED: 'malformed token: not a valid JWT',
  IDENTITY_ALG_REFUSED: 'token signed with an algorithm other than RS256',
  IDENTITY_UNKNOWN_KEY: 'token signed with a key the identity provider does not publish',
  IDENTITY_BAD_SIGNATURE: 'bad token signature',
  IDENTITY_WRONG_AUDIENCE: "wrong audience: the token is for another app",
  IDENTITY_WRONG_ISSUER: 'wrong issuer: the token comes from another identity provider',
  IDENTITY_EXPIRED: 'token expired',
  IDENTITY_NOT_YET_VALID: 'token not yet valid',
  IDENTITY_CLAIMS_INVALID: 'token claims invalid or missing',
  IDENTITY_KEYS_UNAVAILABLE: "the identity provider's signing keys could not be fetched",
  IDENTITY_USER_NOT_ALLOWED: "user not in the app's allow list",
};

/** The sentence for a refusal code; a code this table does not know gets a generic sentence rather than nothing. */
export function denyReasonFor(code: string): string {
  return Object.hasOwn(DENY_REASONS, code) ? DENY_REASONS[code as DenialCode] : 'access denied';
}

export const DENIAL_CODES = Object.freeze(Object.keys(DENY_REASONS)) as readonly DenialCode[];
