// The secured side of a scratch broker: certificates, SASL users with random passwords, and what a test's clients need to connect.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from './infra-error.js';
import { ensureKafkaCertificates } from './kafka-certificates.js';
import type { BrokerSecurityConfig } from './kafka-security-config.js';

/** The super user every secured scratch broker has, for setting up topics and ACLs. */
export const SCRATCH_ADMIN_USER = 'admin';

const USER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface ScratchKafkaSecureOptions {
  /** SASL users besides `admin` (each gets SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN logins); [A-Za-z0-9_-] names. */
  readonly users?: readonly string[];
  /** Kafka's StandardAuthorizer: then only `admin`, the mTLS client and ACLs grant anything. Default false. */
  readonly authorizer?: boolean;
}

/** How a test's clients reach the secured listeners. */
export interface ScratchKafkaSecurity {
  /** `127.0.0.1:<port>` of the SASL_SSL listener (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). */
  readonly saslSslBrokers: string;
  /** `127.0.0.1:<port>` of the SSL listener that requires a client certificate. */
  readonly mtlsBrokers: string;
  /** The CA that signed the broker's and the client's certificates (PEM). */
  readonly caFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** User name → password, `admin` among them. */
  readonly users: Readonly<Record<string, string>>;
}

/** Writes the certificates and users (kept across restarts in `dir`) and returns the broker's config and the clients' view. */
export async function prepareScratchSecurity(
  dir: string,
  host: string,
  ports: { readonly saslSslPort: number; readonly mtlsPort: number },
  options: ScratchKafkaSecureOptions,
): Promise<{ readonly config: BrokerSecurityConfig; readonly security: ScratchKafkaSecurity }> {
  if (ports.mtlsPort > 65_535) throw new InfraError('INFRA_BAD_PORT', `a secured scratch Kafka takes port to port + 3; ${ports.mtlsPort} is past 65535`);
  const names = [SCRATCH_ADMIN_USER, ...(options.users ?? [])];
  const bad = names.find((name) => !USER_NAME.test(name));
  if (bad !== undefined) throw new InfraError('INFRA_BAD_USER', `a scratch Kafka user name must match [A-Za-z0-9_-]{1,64}, not ${JSON.stringify(bad)}; example: pusher`);
  const certificates = await ensureKafkaCertificates(join(dir, 'tls'));
  const users = readOrCreatePasswords(join(dir, 'tls', 'users.json'), names);
  return {
    config: { ...ports, certificates, users, authorizer: options.authorizer === true, superUsers: [SCRATCH_ADMIN_USER] },
    security: {
      saslSslBrokers: `${host}:${ports.saslSslPort}`,
      mtlsBrokers: `${host}:${ports.mtlsPort}`,
      caFile: certificates.caFile,
      clientCertFile: certificates.clientCertFile,
      clientKeyFile: certificates.clientKeyFile,
      users,
    },
  };
}

/** The broker's SCRAM credentials are formatted once, so a restarted broker must get the same passwords back. */
function readOrCreatePasswords(file: string, names: readonly string[]): Record<string, string> {
  const known: Record<string, string> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const users = Object.fromEntries(names.map((name) => [name, known[name] ?? randomBytes(12).toString('hex')]));
  writeFileSync(file, JSON.stringify(users), { mode: 0o600 });
  return users;
}
