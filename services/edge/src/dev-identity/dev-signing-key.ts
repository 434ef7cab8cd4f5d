// The local stand-in for an IdP: one RSA key on disk that mints Access-shaped tokens and publishes its JWKS.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, calculateJwkThumbprint, importJWK } from 'jose';
import type { JWK, JWTPayload } from 'jose';
import { DevKeyError, readOrCreateKeyFile } from './dev-key-file.js';

export const DEV_ISSUER = 'https://sluice.dev.local';

/** SLUICE_DEV_KEY_FILE, else ~/.sluice/dev-signing-key.json (`env` lets a command pass its own environment). */
export function defaultDevKeyFile(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env['SLUICE_DEV_KEY_FILE'];
  return configured !== undefined && configured !== '' ? configured : join(homedir(), '.sluice', 'dev-signing-key.json');
}

export interface MintOptions {
  readonly email: string;
  readonly audience: string | readonly string[];
  /** Default DEV_ISSUER. */
  readonly issuer?: string;
  readonly groups?: readonly string[];
  /** Lifetime, seconds. Default 3600. */
  readonly ttlSeconds?: number;
  /** `idp.type`. Default 'dev'. */
  readonly connection?: string;
  readonly country?: string;
  /** Default: a stable UUID-shaped id derived from the email. */
  readonly subject?: string;
  /** Issue time, ms since the epoch. Default Date.now(). */
  readonly nowMs?: number;
}

export interface DevSigningKey {
  readonly kid: string;
  readonly file: string;
  /** The public key only, as a JWKS the gateway can be pointed at. */
  jwks(): { keys: JWK[] };
  mint(options: MintOptions): Promise<string>;
}

/**
 * Reads the RSA-2048 private JWK from `file`, or creates it (dir 0700, file 0600, written atomically:
 * a temporary file linked into place, renamed where links are unsupported) on first use. kid = RFC 7638 thumbprint.
 */
export async function loadOrCreateDevSigningKey(file: string = defaultDevKeyFile()): Promise<DevSigningKey> {
  const stored = await readOrCreateKeyFile(file);
  let privateKey: Awaited<ReturnType<typeof importJWK>>;
  try {
    privateKey = await importJWK({ kty: 'RSA', n: stored.n, e: stored.e, d: stored.d, p: stored.p, q: stored.q, dp: stored.dp, dq: stored.dq, qi: stored.qi }, 'RS256');
  } catch (error) {
    throw new DevKeyError(file, `is not a usable RSA private key (${(error as Error).message}); delete it to have a new key generated`, { cause: error });
  }
  // Only the public members: the thumbprint covers exactly these, and nothing else may leave this file.
  const publicJwk: JWK = { kty: 'RSA', n: stored.n, e: stored.e };
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    kid,
    file,
    jwks: () => ({ keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] }),
    async mint(options) {
      const { claims, header } = accessShapedToken(options, kid);
      return new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
    },
  };
}

/** Claims as Cloudflare Access writes them, so the gateway sees in development what it sees in production. */
function accessShapedToken(options: MintOptions, kid: string): { claims: JWTPayload; header: { alg: 'RS256'; kid: string; typ: 'JWT' } } {
  const ttlSeconds = options.ttlSeconds ?? 3600;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new RangeError(`ttlSeconds must be a positive number of seconds, got ${ttlSeconds}`);
  const issuedAt = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const claims: JWTPayload = {
    aud: typeof options.audience === 'string' ? [options.audience] : [...options.audience],
    email: options.email,
    exp: issuedAt + Math.floor(ttlSeconds),
    iat: issuedAt,
    nbf: issuedAt,
    iss: options.issuer ?? DEV_ISSUER,
    type: 'app',
    identity_nonce: randomBytes(12).toString('base64url'),
    sub: options.subject ?? subjectFor(options.email),
    jti: randomUUID(),
    idp: { id: 'sluice-dev', type: options.connection ?? 'dev' },
  };
  if (options.country !== undefined) claims['country'] = options.country;
  if (options.groups !== undefined) claims['groups'] = [...options.groups];
  return { claims, header: { alg: 'RS256', kid, typ: 'JWT' } };
}

/** The same user id for the same email on every machine (case-insensitive), shaped like Access's UUID `sub`. */
export function subjectFor(email: string): string {
  const hex = createHash('sha256').update(`sluice-dev-user:${email.toLowerCase()}`).digest('hex');
  // Version 5 and RFC 4122 variant bits, as a name-based UUID would have.
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
