// Reads an identity out of a JWT claims set: in full after verification, or the few claims a denied token merely asserts.
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { JWTPayload } from 'jose';
import type { UnverifiedClaims, VerifiedIdentity } from './verified-identity.js';

export interface ClaimNames {
  readonly groups: string;
  readonly connection: string;
}

/** Long enough for any real address (RFC 5321 caps a path at 256), short enough that a log line stays a line. */
const MAX_EMAIL_LENGTH = 320;
/** Unverified values come from whoever sent the request: cap them before they reach a log. */
const MAX_UNVERIFIED_LENGTH = 256;
// One `@`, something on each side, no whitespace or control characters: enough to refuse a token that names no email.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;

const NO_GROUPS: readonly string[] = Object.freeze([]);
const NOTHING_CLAIMED: UnverifiedClaims = Object.freeze({});

/** The identity of a verified claims set, or why its claims do not make one. */
export function identityFromClaims(claims: JWTPayload, token: string, names: ClaimNames): VerifiedIdentity | { readonly problem: string } {
  const email = claims['email'];
  if (typeof email !== 'string' || email.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(email)) {
    return { problem: email === undefined ? 'the token has no "email" claim' : 'the "email" claim is not an email address' };
  }
  const exp = claims.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { problem: 'the "exp" claim is not a number' };
  // Frozen: a verified identity is cached and handed to every request that presents the same token.
  return Object.freeze({
    email,
    userId: typeof claims.sub === 'string' ? claims.sub : '',
    tokenId: tokenIdOf(claims, token),
    groups: groupsOf(claims[names.groups]),
    connection: connectionOf(claims[names.connection]),
    country: stringOr(claims['country'], ''),
    expiresAtMs: exp * 1000,
  });
}

/** Who a refused token claims to be, read without verifying it; never trusted, capped in length. */
export function unverifiedClaims(token: string, names: ClaimNames): UnverifiedClaims {
  if (token === '') return NOTHING_CLAIMED;
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    return { tokenId: tokenHash(token) };
  }
  const claimed: { email?: string; connection?: string; country?: string; tokenId: string } = { tokenId: capped(tokenIdOf(claims, token)) };
  if (typeof claims['email'] === 'string') claimed.email = capped(claims['email']);
  const connection = connectionOf(claims[names.connection]);
  if (connection !== '') claimed.connection = capped(connection);
  if (typeof claims['country'] === 'string') claimed.country = capped(claims['country']);
  return claimed;
}

/** The first 32 hex of the token's SHA-256: a stable id for tokens without `jti`. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

function tokenIdOf(claims: JWTPayload, token: string): string {
  return typeof claims.jti === 'string' && claims.jti !== '' ? claims.jti : tokenHash(token);
}

function groupsOf(value: unknown): readonly string[] {
  if (typeof value === 'string') return Object.freeze([value]);
  if (!Array.isArray(value) || value.length === 0) return NO_GROUPS;
  // Some IdPs put objects in a groups claim; only names can match a policy, so the rest is skipped rather than refused.
  return Object.freeze(value.filter((group): group is string => typeof group === 'string'));
}

function connectionOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return stringOr((value as Record<string, unknown>)['type'], '');
  return '';
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function capped(value: string): string {
  return value.length > MAX_UNVERIFIED_LENGTH ? value.slice(0, MAX_UNVERIFIED_LENGTH) : value;
}
