// Reads a JWKS file and checks it holds usable RSA public keys, naming the file and the fault when it does not.
import { readFile } from 'node:fs/promises';
import { importJWK } from 'jose';
import type { JSONWebKeySet, JWK } from 'jose';

/** A JWKS file or URL the gateway cannot start with; `location` is the file path or the URL as given. */
export class JwksInvalidError extends Error {
  readonly code = 'EDGE_JWKS_INVALID';
  constructor(
    readonly location: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JwksInvalidError';
  }
}

class JwksFileError extends JwksInvalidError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(file, `JWKS file ${file}: ${problem}`, options);
  }
}

/** RS256 refuses smaller moduli; better to say so at start-up than on every request. */
const MIN_RSA_BITS = 2048;
/** Parameters only a private key has: a JWKS file is published, so holding one is a leak, not a config slip. */
const PRIVATE_PARAMETERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** The file's RSA signing keys (others are skipped), each with a unique kid and importable for RS256. */
export async function readJwksFile(file: string): Promise<JSONWebKeySet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new JwksFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new JwksFileError(file, `is not JSON (${(error as Error).message})`, { cause: error });
  }
  const keys = typeof document === 'object' && document !== null ? (document as Record<string, unknown>)['keys'] : undefined;
  if (!Array.isArray(keys)) throw new JwksFileError(file, 'has no "keys" array (expected {"keys": [ {"kty": "RSA", "kid": ..., "n": ..., "e": ...} ]})');
  const rsa: JWK[] = [];
  const kids = new Set<string>();
  for (const [index, key] of keys.entries()) {
    if (typeof key !== 'object' || key === null) throw new JwksFileError(file, `keys[${index}] is not an object`);
    const jwk = key as JWK;
    // Like jose's own key selection: keys RS256 can never use are passed over, not refused.
    if (jwk.kty !== 'RSA' || (jwk.alg !== undefined && jwk.alg !== 'RS256') || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    await checkRsaKey(file, index, jwk, kids);
    rsa.push(jwk);
  }
  if (rsa.length === 0) throw new JwksFileError(file, 'holds no RSA signing keys for RS256 (the only algorithm accepted)');
  return { keys: rsa };
}

async function checkRsaKey(file: string, index: number, jwk: JWK, kids: Set<string>): Promise<void> {
  const kid = jwk.kid;
  if (typeof kid !== 'string' || kid === '') throw new JwksFileError(file, `keys[${index}] has no "kid" (tokens name their key by kid)`);
  if (kids.has(kid)) throw new JwksFileError(file, `kid "${kid}" appears more than once`);
  kids.add(kid);
  if (PRIVATE_PARAMETERS.some((name) => jwk[name] !== undefined)) throw new JwksFileError(file, `key "${kid}" holds private key parameters; publish only the public part (kty, kid, n, e)`);
  try {
    await importJWK(jwk, 'RS256');
  } catch (error) {
    throw new JwksFileError(file, `key "${kid}" is not a usable RSA public key (${(error as Error).message})`, { cause: error });
  }
  const bits = typeof jwk.n === 'string' ? Buffer.from(jwk.n, 'base64url').length * 8 : 0;
  if (bits < MIN_RSA_BITS) throw new JwksFileError(file, `key "${kid}" is ${bits} bits; RS256 needs at least ${MIN_RSA_BITS}`);
}
