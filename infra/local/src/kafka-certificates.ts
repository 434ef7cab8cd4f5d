// Makes a throwaway CA, a broker certificate and a client certificate with the openssl CLI, for a broker's TLS listeners.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InfraError } from './infra-error.js';

const execFileAsync = promisify(execFile);

/** Names the broker certificate carries; clients check the address they dial (127.0.0.1) or their `servername`. */
export const BROKER_CERT_NAMES = { ip: '127.0.0.1', dns: ['localhost', 'kafka.sluice.test'] } as const;
/** The mTLS listener's client certificate subject; Kafka's principal for it is `User:CN=sluice-client`. */
export const CLIENT_CERT_SUBJECT = 'CN=sluice-client';

export interface KafkaCertificateFiles {
  /** The CA certificate: what clients trust (KAFKA_SSL_CA_FILE) and the broker's truststore for client certificates. */
  readonly caFile: string;
  /** The broker's PEM keystore: its private key, then its certificate. */
  readonly brokerKeystoreFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

export function kafkaCertificateFiles(dir: string): KafkaCertificateFiles {
  return {
    caFile: join(dir, 'ca.pem'),
    brokerKeystoreFile: join(dir, 'broker-keystore.pem'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
  };
}

/** Creates the files in `dir` unless they are there already (a restarted broker keeps its certificates). */
export async function ensureKafkaCertificates(dir: string): Promise<KafkaCertificateFiles> {
  const files = kafkaCertificateFiles(dir);
  if ([files.caFile, files.brokerKeystoreFile, files.clientCertFile, files.clientKeyFile].every((file) => existsSync(file))) return files;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = join(dir, 'ca.key');
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Sluice local test CA', '-keyout', caKey, '-out', files.caFile,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const brokerKey = join(dir, 'broker.key');
  const brokerCert = join(dir, 'broker.pem');
  const altNames = [`IP:${BROKER_CERT_NAMES.ip}`, ...BROKER_CERT_NAMES.dns.map((name) => `DNS:${name}`)].join(',');
  await signed(dir, { subject: '/CN=kafka.sluice.test', key: brokerKey, cert: brokerCert, caKey, caFile: files.caFile, extensions: `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth,clientAuth\n` });
  await signed(dir, { subject: `/${CLIENT_CERT_SUBJECT}`, key: files.clientKeyFile, cert: files.clientCertFile, caKey, caFile: files.caFile, extensions: 'extendedKeyUsage=clientAuth\n' });
  // Kafka's PEM keystore file holds the (PKCS#8, unencrypted) key and the certificate chain together.
  writeFileSync(files.brokerKeystoreFile, readFileSync(brokerKey, 'utf8') + readFileSync(brokerCert, 'utf8'), { mode: 0o600 });
  return files;
}

async function signed(dir: string, spec: { subject: string; key: string; cert: string; caKey: string; caFile: string; extensions: string }): Promise<void> {
  const csr = `${spec.cert}.csr`;
  const ext = `${spec.cert}.ext`;
  writeFileSync(ext, spec.extensions);
  await openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', spec.subject, '-keyout', spec.key, '-out', csr]);
  await openssl(['x509', '-req', '-in', csr, '-CA', spec.caFile, '-CAkey', spec.caKey, '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'), '-days', '30', '-extfile', ext, '-out', spec.cert]);
}

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { timeout: 30_000 });
  } catch (error) {
    throw new InfraError('INFRA_CERTIFICATES_FAILED', `openssl ${args[0] ?? ''} failed while making the test broker's certificates: ${(error as Error).message}`, { cause: error });
  }
}
