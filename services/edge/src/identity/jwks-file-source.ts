// Keys from a local JWKS file, re-read on an unknown kid (at most once per cooldown) so rotation is a rewrite of the file.
import { createLocalJWKSet, errors } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { readJwksFile } from './jwks-file.js';
import { KEYS_MAX_AGE_MS } from './jwks-max-age.js';
import type { JwksKeySourceOptions, KeySource } from './jwks-key-source.js';

export async function createJwksFileSource(file: string, options: JwksKeySourceOptions): Promise<KeySource> {
  const now = options.now ?? Date.now;
  const cooldownMs = options.cooldownMs ?? 30_000;
  let keys = createLocalJWKSet(await readJwksFile(file));
  let readAtMs = now();
  let reading: Promise<void> | undefined;

  /** One read at a time; a file that is half-written or broken keeps the last good keys until the next try. */
  function reread(): Promise<void> {
    reading ??= (async () => {
      readAtMs = now();
      try {
        keys = createLocalJWKSet(await readJwksFile(file));
      } catch {
        // The last good keys stay until the file reads cleanly again: refusing every token while an operator is mid-edit would be worse.
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (now() - readAtMs >= KEYS_MAX_AGE_MS) await reread();
    try {
      return await keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - readAtMs < cooldownMs) throw error;
      await reread();
      return keys(header, token);
    }
  };
  return { getKey, description: `JWKS file ${file}` };
}
