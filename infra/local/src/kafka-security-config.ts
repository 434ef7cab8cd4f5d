// Pure renderers for a broker's secured listeners: SASL_SSL (PLAIN and SCRAM) and mutual TLS, their users, and an optional authorizer.
import { CLIENT_CERT_SUBJECT } from './kafka-certificates.js';
import type { KafkaCertificateFiles } from './kafka-certificates.js';

/** The SCRAM mechanisms every user gets a credential for, so a client may pick either. */
export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

export interface BrokerSecurityConfig {
  /** The SASL_SSL listener: PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 over TLS. */
  readonly saslSslPort: number;
  /** The SSL listener that requires a client certificate signed by the CA (principal `User:CN=sluice-client`). */
  readonly mtlsPort: number;
  readonly certificates: KafkaCertificateFiles;
  /** User name → password: each gets both SCRAM credentials and a PLAIN login. Names and passwords: [A-Za-z0-9_-] only. */
  readonly users: Readonly<Record<string, string>>;
  /** Turns on Kafka's StandardAuthorizer: users get nothing but what ACLs grant, except super users. */
  readonly authorizer: boolean;
  /** SASL users allowed everything when the authorizer is on. */
  readonly superUsers: readonly string[];
}

/** `NAME://host:port` entries and protocol mappings that join the PLAINTEXT and CONTROLLER ones. */
export function securedListeners(host: string, security: BrokerSecurityConfig): { readonly listeners: string[]; readonly protocols: string[] } {
  return {
    listeners: [`SECURE://${host}:${security.saslSslPort}`, `MTLS://${host}:${security.mtlsPort}`],
    protocols: ['SECURE:SASL_SSL', 'MTLS:SSL'],
  };
}

export function securitySettings(security: BrokerSecurityConfig): ReadonlyArray<readonly [string, string]> {
  const plainUsers = Object.entries(security.users)
    .map(([name, password]) => `user_${name}="${password}"`)
    .join(' ');
  const scramJaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  // The controller listener is PLAINTEXT, so the broker reaches its own controller as ANONYMOUS: it must be a super user.
  const superUsers = ['User:ANONYMOUS', `User:${CLIENT_CERT_SUBJECT}`, ...security.superUsers.map((name) => `User:${name}`)];
  return [
    // PEM stores: the keystore file holds the unencrypted key and the certificate; the truststore the CA.
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', security.certificates.brokerKeystoreFile],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', security.certificates.caFile],
    ['listener.name.secure.sasl.enabled.mechanisms', ['PLAIN', ...SCRAM_MECHANISMS].join(',')],
    ['listener.name.secure.plain.sasl.jaas.config', `org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`],
    ['listener.name.secure.scram-sha-256.sasl.jaas.config', scramJaas],
    ['listener.name.secure.scram-sha-512.sasl.jaas.config', scramJaas],
    ['listener.name.mtls.ssl.client.auth', 'required'],
    ...(security.authorizer
      ? ([
          ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
          ['super.users', superUsers.join(';')],
          ['allow.everyone.if.no.acl.found', 'false'],
        ] as const)
      : []),
  ];
}

/** `kafka-storage format` arguments that store each user's SCRAM credentials before the first start (KRaft keeps them in its metadata). */
export function scramFormatArgs(users: Readonly<Record<string, string>>): string[] {
  return Object.entries(users).flatMap(([name, password]) => SCRAM_MECHANISMS.flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${name},password=${password}]`]));
}
