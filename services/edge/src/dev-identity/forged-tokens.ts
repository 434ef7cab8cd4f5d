// Tokens a gateway must refuse, made against the development key: the demo sends them, and the tests prove each is refused.
import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import type { DevSigningKey } from './dev-signing-key.js';

export interface ForgedToken {
  readonly name: string;
  readonly token: string;
  /** The identity error code a correct gateway answers with. */
  readonly expectedCode: string;
  readonly expectedStatus: 401 | 403;
}

/**
 * One token per attack the gateway defends against, each otherwise valid for `email` on `audience`:
 * no signature (`alg: none`), HMAC signed with the public key (algorithm confusion), an unknown key,
 * a payload changed after signing, another app's audience, another issuer, expired, not yet valid.
 */
export async function forgedTokens(key: DevSigningKey, email: string, audience: string, nowMs: number = Date.now()): Promise<ForgedToken[]> {
  const valid = await key.mint({ email, audience, nowMs });
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

  const unsigned = `${encode({ alg: 'none', typ: 'JWT', kid: key.kid })}.${payload}.`;
  const publicPem = createPublicKey({ key: key.jwks().keys[0] as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' }).sign(Buffer.from(publicPem));
  const stranger = await generateKeyPair('RS256');
  const unknownKey = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'not-in-the-jwks', typ: 'JWT' }).sign(stranger.privateKey);
  const tampered = `${header}.${encode({ ...claims, email: `admin@${email.split('@')[1] ?? 'example.com'}` })}.${signature}`;
  return [
    { name: 'alg-none', token: unsigned, expectedCode: 'IDENTITY_ALG_REFUSED', expectedStatus: 401 },
    { name: 'hs256-with-public-key', token: confused, expectedCode: 'IDENTITY_ALG_REFUSED', expectedStatus: 401 },
    { name: 'unknown-kid', token: unknownKey, expectedCode: 'IDENTITY_UNKNOWN_KEY', expectedStatus: 401 },
    { name: 'tampered-payload', token: tampered, expectedCode: 'IDENTITY_BAD_SIGNATURE', expectedStatus: 401 },
    { name: 'wrong-audience', token: await key.mint({ email, audience: 'another-app', nowMs }), expectedCode: 'IDENTITY_WRONG_AUDIENCE', expectedStatus: 403 },
    { name: 'wrong-issuer', token: await key.mint({ email, audience, issuer: 'https://idp.attacker.example', nowMs }), expectedCode: 'IDENTITY_WRONG_ISSUER', expectedStatus: 401 },
    { name: 'expired', token: await key.mint({ email, audience, nowMs: nowMs - 7_200_000, ttlSeconds: 3_600 }), expectedCode: 'IDENTITY_EXPIRED', expectedStatus: 401 },
    { name: 'not-yet-valid', token: await key.mint({ email, audience, nowMs: nowMs + 3_600_000 }), expectedCode: 'IDENTITY_NOT_YET_VALID', expectedStatus: 401 },
  ];
}
