// Real RSA keys and Access-shaped tokens for the identity tests, signed the way an IdP would sign them.
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import type { KeySource } from '../../src/identity/jwks-key-source.js';

export const ISSUER = 'https://acme.cloudflareaccess.com';
export const AUDIENCE = '4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2';
/** A whole second, so that jose's second-granular clock and ours agree exactly. */
export const NOW_MS = Date.UTC(2026, 2, 1, 12, 0, 0);
export const NOW_S = NOW_MS / 1000;

export interface TestKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** Public JWK with kid, alg and use, as a JWKS lists it. */
  readonly jwk: JWK;
  /** The private key as a JWK, to sign with the same key under another RSA algorithm. */
  readonly privateJwk: JWK;
}

export async function testKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, jwk, privateJwk: await exportJWK(privateKey) };
}

export function jwksOf(...keys: readonly TestKey[]): { keys: JWK[] } {
  return { keys: keys.map((key) => key.jwk) };
}

/** A key source over fixed keys, counting its lookups. */
export function staticKeys(...keys: readonly TestKey[]): KeySource & { lookups: number } {
  const set = createLocalJWKSet(jwksOf(...keys));
  const source = {
    lookups: 0,
    description: 'test keys',
    getKey: (...args: Parameters<typeof set>) => {
      source.lookups++;
      return set(...args);
    },
  };
  return source;
}

/** Claims of a valid token at NOW_MS, as Access writes them; `overrides` with undefined values removes a claim. */
export function accessClaims(overrides: Record<string, unknown> = {}): JWTPayload {
  const claims: Record<string, unknown> = {
    aud: [AUDIENCE],
    email: 'alice@example.com',
    exp: NOW_S + 3600,
    iat: NOW_S - 60,
    nbf: NOW_S - 60,
    iss: ISSUER,
    type: 'app',
    identity_nonce: 'n0nce',
    sub: '7335d417-61da-459d-899c-0a01c76a2f94',
    jti: 'a8f3c3a2-7d9f-4a43-9e0c-0d2c9c3f1b77',
    country: 'GB',
    idp: { id: 'b2c6ee06-3a3c-4b8a-b0f4-2e0c0b0f9a11', type: 'okta' },
    groups: ['sre', 'admins'],
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}

/** Signed with `key` under `alg`; WebCrypto binds a key to one hash, so RS384/RS512 re-import the same key material. */
export async function signToken(key: TestKey, claims: JWTPayload = accessClaims(), alg = 'RS256'): Promise<string> {
  const signingKey = alg === 'RS256' ? key.privateKey : await importJWK(key.privateJwk, alg);
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' }).sign(signingKey);
}

export function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
