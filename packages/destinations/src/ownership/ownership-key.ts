// The secret that signs ownership tokens: read from configuration, checked for length, never printed.
import { inspect } from 'node:util';

/** Shorter keys are refused: HMAC-SHA256 is only as strong as its key. */
export const MIN_OWNERSHIP_KEY_BYTES = 32;
export const OWNERSHIP_KEY_ENV = 'SLUICE_OWNERSHIP_KEY';
/** Comma-separated keys that signed tokens still in circulation; accepted for verification, never used to sign. */
export const OWNERSHIP_PREVIOUS_KEYS_ENV = 'SLUICE_OWNERSHIP_PREVIOUS_KEYS';

const KEY_HINT = `set it to a random secret of at least ${MIN_OWNERSHIP_KEY_BYTES} bytes, the same for every Sluice process that verifies tokens, e.g. export ${OWNERSHIP_KEY_ENV}="$(openssl rand -base64 48)"`;

/** An accepted signing key. Made only by `parseOwnershipKey`; logs and JSON show no bytes of it. */
export interface OwnershipKey {
  readonly bytes: Buffer;
}

export type OwnershipKeyResult = { ok: true; key: OwnershipKey } | { ok: false; message: string };

/** The key is the UTF-8 bytes of `secret`; `source` names where it came from, for the message. */
export function parseOwnershipKey(secret: string, source = 'the ownership key'): OwnershipKeyResult {
  const bytes = Buffer.from(secret, 'utf8');
  if (bytes.length < MIN_OWNERSHIP_KEY_BYTES) {
    return { ok: false, message: `${source} is ${bytes.length} bytes; it must be at least ${MIN_OWNERSHIP_KEY_BYTES}: ${KEY_HINT}` };
  }
  const key = {};
  Object.defineProperties(key, {
    bytes: { value: bytes, enumerable: false },
    toJSON: { value: () => '[ownership key]', enumerable: false },
    [inspect.custom]: { value: () => '[ownership key]', enumerable: false },
  });
  return { ok: true, key: key as OwnershipKey };
}

/** The key that signs new tokens, then every key a token may have been signed with (current first). */
export interface OwnershipKeyring {
  current: OwnershipKey;
  accepted: readonly OwnershipKey[];
}

export type OwnershipKeyringResult = { ok: true; keyring: OwnershipKeyring } | { ok: false; message: string };

/**
 * Reads `SLUICE_OWNERSHIP_KEY` and, while rotating, `SLUICE_OWNERSHIP_PREVIOUS_KEYS`: keep a retired key
 * there for 7 days (a token's lifetime) so that challenges already handed out still verify.
 */
export function ownershipKeysFromEnv(env: NodeJS.ProcessEnv = process.env): OwnershipKeyringResult {
  const secret = env[OWNERSHIP_KEY_ENV];
  if (secret === undefined || secret === '') return { ok: false, message: `${OWNERSHIP_KEY_ENV} is not set: ownership challenge tokens are signed with it; ${KEY_HINT}` };
  const current = parseOwnershipKey(secret, OWNERSHIP_KEY_ENV);
  if (!current.ok) return current;
  const accepted = [current.key];
  const previous = (env[OWNERSHIP_PREVIOUS_KEYS_ENV] ?? '').split(',').filter((text) => text !== '');
  for (const [index, text] of previous.entries()) {
    const parsed = parseOwnershipKey(text, `${OWNERSHIP_PREVIOUS_KEYS_ENV} entry ${index + 1}`);
    if (!parsed.ok) return parsed;
    accepted.push(parsed.key);
  }
  return { ok: true, keyring: { current: current.key, accepted } };
}
