// Makes a throwaway self-signed certificate for 127.0.0.1 with the openssl CLI, for HTTPS test servers.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface SelfSignedCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate; also its own CA, so a client that should trust it passes it as `ca`. */
  cert: string;
}

/** Generated per test run rather than checked in: a committed key would be a key anyone can read. */
export async function createSelfSignedCertificate(): Promise<SelfSignedCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await execFileAsync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
      '-subj', '/CN=127.0.0.1',
      // Clients check the subjectAltName, not the CN: without it even a trusting client refuses the host.
      '-addext', 'subjectAltName=IP:127.0.0.1',
      '-days', '1',
      '-keyout', keyPath, '-out', certPath,
    ]);
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
