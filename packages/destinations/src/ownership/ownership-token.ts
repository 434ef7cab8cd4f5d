// The signed token of an ownership challenge: `v1.<base64url JSON claims>.<base64url HMAC-SHA256>`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OwnershipKey } from './ownership-key.js';
import { refuse } from './ownership-codes.js';
import type { OwnershipRefusal } from './ownership-codes.js';

const VERSION = 'v1';
/** Logpush's `ownership_challenge` holds at most 4096 characters. */
export const MAX_TOKEN_CHARS = 4096;
const MAC_BYTES = 32;
const SHAPE = /^v1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const CHALLENGE_ID = /^[0-9a-f]{8}$/;

/** What a token asserts. Readable by anyone holding the token, so it holds digests, never the conf. */
export interface OwnershipClaims {
  /** `zones/<id>` or `accounts/<id>`. */
  scope: string;
  /** Keyed digest of the exact destination_conf (see ownership-binding.ts). */
  dest: string;
  /** Keyed digest of the store, bucket and folder the challenge file was written to. */
  loc: string;
  /** Issued at and expires at, whole seconds since the epoch. */
  iat: number;
  exp: number;
  /** The 8 hex digits in the challenge file's name, so a token can be matched to its file. */
  id: string;
}

export function signOwnershipToken(claims: OwnershipClaims, key: OwnershipKey): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload).toString('base64url')}`;
}

export type OpenedToken = { valid: true; claims: OwnershipClaims; key: OwnershipKey } | OwnershipRefusal;

/**
 * Checks the token's shape, then its signature under each key in turn (current first, for rotation),
 * then reads the claims. Binding and expiry are the caller's: they need the destination and a clock.
 */
export function openOwnershipToken(token: string, keys: readonly OwnershipKey[]): OpenedToken {
  if (keys.length === 0) throw new Error('openOwnershipToken needs at least one key');
  const shapeProblem = describeShape(token);
  if (shapeProblem !== undefined) return refuse('OWNERSHIP_MALFORMED', shapeProblem);
  const [, payload = '', signature = ''] = SHAPE.exec(token) ?? [];
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== MAC_BYTES || given.toString('base64url') !== signature) {
    return refuse('OWNERSHIP_MALFORMED', `the token's signature is not ${MAC_BYTES} bytes of base64url: it was cut short or altered when copied`);
  }
  const key = keys.find((candidate) => timingSafeEqual(mac(candidate, payload), given));
  if (key === undefined) {
    return refuse('OWNERSHIP_TAMPERED', 'the token’s signature does not match: it was altered, or signed with a key this server no longer accepts; request a new ownership challenge');
  }
  const claims = readClaims(payload);
  if (claims === undefined) return refuse('OWNERSHIP_MALFORMED', 'the token is signed but its contents are not what this version of Sluice writes; request a new ownership challenge');
  return { valid: true, claims, key };
}

function mac(key: OwnershipKey, payload: string): Buffer {
  return createHmac('sha256', key.bytes).update(`sluice-ownership-token/${VERSION}\0${payload}`).digest();
}

function describeShape(token: string): string | undefined {
  if (token === '') return 'the ownership challenge is empty: send the token from the ownership-challenge-<id>.txt file';
  if (token.length > MAX_TOKEN_CHARS) return `the ownership challenge is ${token.length} characters; tokens are at most ${MAX_TOKEN_CHARS}`;
  if (/^v\d+\./.test(token) && !token.startsWith(`${VERSION}.`)) return `the token is of version "${token.slice(0, token.indexOf('.'))}"; this Sluice reads ${VERSION}`;
  if (!SHAPE.test(token)) return `not an ownership challenge token: expected ${VERSION}.<payload>.<signature> in base64url, exactly as written in the ownership-challenge-<id>.txt file`;
  return undefined;
}

function readClaims(payload: string): OwnershipClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  const ok =
    typeof c['scope'] === 'string' &&
    typeof c['dest'] === 'string' &&
    typeof c['loc'] === 'string' &&
    Number.isSafeInteger(c['iat']) &&
    Number.isSafeInteger(c['exp']) &&
    typeof c['id'] === 'string' &&
    CHALLENGE_ID.test(c['id']);
  return ok ? { scope: c['scope'] as string, dest: c['dest'] as string, loc: c['loc'] as string, iat: c['iat'] as number, exp: c['exp'] as number, id: c['id'] as string } : undefined;
}
