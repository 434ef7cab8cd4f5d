// Turns what jose (or a key source) throws during verification into an identity error code and a reason safe to log.
import { errors } from 'jose';
import type { IdentityErrorCode } from './verified-identity.js';

export interface VerifyFailure {
  readonly code: IdentityErrorCode;
  readonly reason: string;
}

/** What a reason may name besides the error: nothing here is secret. */
export interface FailureContext {
  readonly kid: string;
  readonly audience: string;
  readonly issuer: string;
  readonly leewaySeconds: number;
  readonly nowMs: number;
  readonly keysDescription: string;
}

/**
 * A key source could not produce keys at all (IdP unreachable, bad JWKS response): thrown by the
 * verifier's key lookup so that it is told apart from the token's own faults after jose rethrows it.
 */
export class KeysUnavailableError extends Error {
  readonly code = 'IDENTITY_KEYS_UNAVAILABLE';
  constructor(description: string, cause: unknown) {
    super(`signing keys unavailable from ${description}: ${describeError(cause)}`, { cause });
    this.name = 'KeysUnavailableError';
  }
}

/** 403 when the user is known but the token is for another app, 503 when the keys cannot be had, else 401. */
export function statusFor(code: IdentityErrorCode): 401 | 403 | 503 {
  if (code === 'IDENTITY_WRONG_AUDIENCE') return 403;
  if (code === 'IDENTITY_KEYS_UNAVAILABLE') return 503;
  return 401;
}

export function failureFromError(error: unknown, context: FailureContext): VerifyFailure {
  if (error instanceof KeysUnavailableError) return { code: 'IDENTITY_KEYS_UNAVAILABLE', reason: error.message };
  if (error instanceof errors.JWTExpired) return expired(error, context);
  if (error instanceof errors.JWTClaimValidationFailed) return claimFailure(error, context);
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return { code: 'IDENTITY_UNKNOWN_KEY', reason: `no RS256 key with kid ${quote(context.kid)} in ${context.keysDescription}` };
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return { code: 'IDENTITY_UNKNOWN_KEY', reason: `kid ${quote(context.kid)} matches more than one key in ${context.keysDescription}` };
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return { code: 'IDENTITY_BAD_SIGNATURE', reason: `the signature does not verify with key ${quote(context.kid)}` };
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return { code: 'IDENTITY_ALG_REFUSED', reason: 'only RS256 is accepted' };
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return { code: 'IDENTITY_TOKEN_MALFORMED', reason: `not a valid JWT: ${describeError(error)}` };
    default:
      // jose's TypeErrors (a key under 2048 bits, a key of the wrong type) end here: the token cannot be verified.
      return { code: 'IDENTITY_BAD_SIGNATURE', reason: `the signature could not be checked with key ${quote(context.kid)}: ${describeError(error)}` };
  }
}

function expired(error: errors.JWTExpired, context: FailureContext): VerifyFailure {
  const exp = error.payload.exp;
  const at = typeof exp === 'number' ? ` at ${isoSeconds(exp)}` : '';
  return { code: 'IDENTITY_EXPIRED', reason: `the token expired${at}; now ${isoMs(context.nowMs)}, leeway ${context.leewaySeconds} s` };
}

function claimFailure(error: errors.JWTClaimValidationFailed, context: FailureContext): VerifyFailure {
  const { claim, payload } = error;
  const missing = error.reason === 'missing';
  switch (claim) {
    case 'aud':
      if (missing) return { code: 'IDENTITY_CLAIMS_INVALID', reason: 'the token has no "aud" claim' };
      return { code: 'IDENTITY_WRONG_AUDIENCE', reason: `the token is not for audience ${quote(context.audience)} (aud: ${listed(payload.aud)})` };
    case 'iss':
      return {
        code: 'IDENTITY_WRONG_ISSUER',
        reason: missing ? `the token has no "iss" claim; expected ${quote(context.issuer)}` : `issuer ${quote(payload.iss)} is not ${quote(context.issuer)}`,
      };
    case 'nbf':
      if (error.reason === 'check_failed' && typeof payload.nbf === 'number') {
        return { code: 'IDENTITY_NOT_YET_VALID', reason: `the token is not valid before ${isoSeconds(payload.nbf)}; now ${isoMs(context.nowMs)}, leeway ${context.leewaySeconds} s` };
      }
      return { code: 'IDENTITY_CLAIMS_INVALID', reason: 'the "nbf" claim is not a number' };
    default:
      return { code: 'IDENTITY_CLAIMS_INVALID', reason: missing ? `the token has no "${claim}" claim` : `the "${claim}" claim is invalid (${error.reason})` };
  }
}

/** A value from the token, quoted and capped: it is attacker-controlled text on its way to a log. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

function listed(value: unknown): string {
  if (!Array.isArray(value)) return quote(value);
  const shown = value.slice(0, 3).map(quote).join(', ');
  return value.length > 3 ? `[${shown}, … ${value.length - 3} more]` : `[${shown}]`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 120);
  const code = (error as { code?: unknown }).code;
  // undici's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${error.message}${cause}`.slice(0, 200);
}

function isoSeconds(epochSeconds: number): string {
  return isoMs(epochSeconds * 1000);
}

function isoMs(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
