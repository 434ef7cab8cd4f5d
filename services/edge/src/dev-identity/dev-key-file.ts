// Stores the development signing key: read it when present, else generate it and publish it atomically, readable by its owner only.
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';

export class DevKeyError extends Error {
  readonly code = 'EDGE_DEV_KEY_INVALID';
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`development signing key ${file}: ${problem}`, options);
    this.name = 'DevKeyError';
  }
}

/** The private RSA JWK in `file`, generated (2048 bits) and stored first when the file does not exist. */
export async function readOrCreateKeyFile(file: string): Promise<JWK> {
  const existing = await readKeyFile(file);
  if (existing !== undefined) return existing;
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return (await publish(file, `${JSON.stringify(jwk, null, 2)}\n`)) ? jwk : ((await readKeyFile(file)) ?? jwk);
}

async function readKeyFile(file: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DevKeyError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch (error) {
    throw new DevKeyError(file, 'is not JSON; delete it to have a new key generated', { cause: error });
  }
  const fields = typeof jwk === 'object' && jwk !== null ? (jwk as Record<string, unknown>) : {};
  if (fields['kty'] !== 'RSA' || typeof fields['n'] !== 'string' || typeof fields['d'] !== 'string') {
    throw new DevKeyError(file, 'is not an RSA private key in JWK form; delete it to have a new key generated');
  }
  return jwk as JWK;
}

/**
 * Writes a temporary file (0600, in a 0700 directory) and moves it into place, so no reader ever
 * sees half a key. `link` rather than `rename` when it can: it fails if another process got there
 * first, and then that process's key is the one everybody uses. False when the file already existed.
 */
async function publish(file: string, text: string): Promise<boolean> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
    // The mode given to writeFile is filtered by the umask; 0600 is the point, so set it outright.
    await chmod(temporary, 0o600);
    return await moveIntoPlace(temporary, file);
  } catch (error) {
    throw new DevKeyError(file, `cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  } finally {
    await rm(temporary, { force: true });
  }
}

async function moveIntoPlace(temporary: string, file: string): Promise<boolean> {
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Some filesystems have no hard links; a rename still never exposes a partial file.
    await rename(temporary, file);
    return true;
  }
}
