// Turns request headers into the caller's identity and grants; secrets are hashed on arrival and never kept.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Access, AuthConfig, ScopePattern } from './auth-config.js';

/** The caller: a name safe for logs (never the secret) and what it may touch. */
export interface Principal {
  readonly name: string;
  readonly grants: ReadonlyMap<ScopePattern, Access>;
}

export type AuthenticationResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'malformed_authorization' | 'unknown_token' | 'unknown_key' };

export interface Authenticator {
  authenticate(headers: IncomingHttpHeaders): AuthenticationResult;
  /** How many credentials are configured; 0 means every request will be refused. */
  readonly size: number;
}

export interface AuthenticatorOptions {
  config?: AuthConfig;
  /**
   * `SLUICE_API_TOKEN`: a development token with write access to every zone and account. Hashed
   * here like any other; the plain value is not kept.
   */
  devToken?: string;
  /** Compares two 32-byte digests; default `crypto.timingSafeEqual`. Tests count its calls. */
  compareDigests?: (a: Buffer, b: Buffer) => boolean;
}

/** Name of the development token in logs. */
export const DEV_TOKEN_NAME = 'SLUICE_API_TOKEN';

/** Compared against when the email is unknown, so that an unknown email costs what a wrong key does. */
const DUMMY_DIGEST = createHash('sha256').update('sluice: no key has this email', 'utf8').digest();

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const tokens = new Map<string, Principal>();
  const keys = new Map<string, { digest: Buffer; principal: Principal }>();
  const compareDigests = options.compareDigests ?? timingSafeEqual;
  for (const token of options.config?.tokens ?? []) {
    tokens.set(token.sha256, { name: `token:${token.name}`, grants: new Map(Object.entries(token.scopes)) });
  }
  for (const key of options.config?.keys ?? []) {
    keys.set(key.email.toLowerCase(), { digest: Buffer.from(key.sha256, 'hex'), principal: { name: `key:${key.email}`, grants: new Map(Object.entries(key.scopes)) } });
  }
  if (options.devToken !== undefined && options.devToken !== '') {
    tokens.set(sha256Hex(options.devToken), { name: DEV_TOKEN_NAME, grants: new Map([['*', 'write']]) });
  }

  return {
    size: tokens.size + keys.size,
    authenticate(headers) {
      const authorization = headers.authorization;
      if (authorization !== undefined && authorization !== '') {
        const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization);
        if (!match) return { ok: false, reason: 'malformed_authorization' };
        // A map lookup by digest reveals nothing usable about the secret, so no constant-time scan is needed.
        const principal = tokens.get(sha256Hex(match[1] ?? ''));
        return principal ? { ok: true, principal } : { ok: false, reason: 'unknown_token' };
      }
      const email = single(headers['x-auth-email']);
      const key = single(headers['x-auth-key']);
      if (email === undefined || key === undefined) return { ok: false, reason: 'missing' };
      const entry = keys.get(email.toLowerCase());
      const digest = createHash('sha256').update(key, 'utf8').digest();
      // Always one constant-time comparison, so that the answer's timing does not tell which emails exist.
      const matches = compareDigests(entry?.digest ?? DUMMY_DIGEST, digest);
      if (entry === undefined || !matches) return { ok: false, reason: 'unknown_key' };
      return { ok: true, principal: entry.principal };
    },
  };
}

/** The digest the configuration holds for a secret. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether the principal holds `need` on `scope` (`zones/<id>` or `accounts/<id>`); write includes read. */
export function hasAccess(principal: Principal, scope: string, need: Access): boolean {
  const [kind = ''] = scope.split('/');
  const candidates = [scope, `${kind}/*`, '*'];
  return candidates.some((pattern) => {
    const access = principal.grants.get(pattern);
    return access === 'write' || (access === 'read' && need === 'read');
  });
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}
