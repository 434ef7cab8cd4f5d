// The build step after validation: reads the CA, certificate, key and password files once, checks that they hold
// what they should, and returns kafkajs's `ssl` and `sasl` options. Messages name files, never their contents.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import { KafkaSecurityError } from './kafka-security-error.js';
import { settingName } from './kafka-security-settings.js';
import type { KafkaSaslSettings, KafkaSecuritySettings, KafkaTlsSettings, SecurityField } from './kafka-security-settings.js';

/** What kafkajs's `Kafka` constructor takes for a secured cluster; both absent for plaintext. */
export interface KafkaConnectionSecurity {
  readonly ssl?: ConnectionOptions;
  readonly sasl?: SASLOptions;
}

export type ReadText = (path: string) => string;

const CERTIFICATE = /-----BEGIN CERTIFICATE-----/;
const PRIVATE_KEY = /-----BEGIN (RSA |EC )?PRIVATE KEY-----/;

export function loadKafkaSecurity(settings: KafkaSecuritySettings, read: ReadText = (path) => readFileSync(path, 'utf8')): KafkaConnectionSecurity {
  const file = (field: SecurityField, path: string): string => {
    try {
      return read(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new KafkaSecurityError('KAFKA_SECURITY_FILE', `${settingName(settings, field)}: cannot read ${path} (${reason})`, { cause: error });
    }
  };
  return {
    ...(settings.tls !== undefined ? { ssl: tlsOptions(settings, settings.tls, file) } : {}),
    ...(settings.sasl !== undefined ? { sasl: saslOptions(settings, settings.sasl, file) } : {}),
  };
}

function tlsOptions(settings: KafkaSecuritySettings, tls: KafkaTlsSettings, file: (field: SecurityField, path: string) => string): ConnectionOptions {
  const name = (field: SecurityField): string => settingName(settings, field);
  const ca = tls.caFile === undefined ? undefined : file('caFile', tls.caFile);
  if (ca !== undefined && !CERTIFICATE.test(ca)) throw fileError(`${name('caFile')}: ${tls.caFile ?? ''} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const cert = tls.certFile === undefined ? undefined : file('certFile', tls.certFile);
  if (cert !== undefined && !CERTIFICATE.test(cert)) throw fileError(`${name('certFile')}: ${tls.certFile ?? ''} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const key = tls.keyFile === undefined ? undefined : file('keyFile', tls.keyFile);
  if (key !== undefined && key.includes('ENCRYPTED')) throw fileError(`${name('keyFile')}: ${tls.keyFile ?? ''} is an encrypted key; give an unencrypted PEM key and protect the file instead (chmod 600)`);
  if (key !== undefined && !PRIVATE_KEY.test(key)) throw fileError(`${name('keyFile')}: ${tls.keyFile ?? ''} holds no PEM private key (-----BEGIN PRIVATE KEY-----)`);
  // Parsed here, once, so that a broken file fails at start with its name, not at the first connection.
  if (ca !== undefined) secureContext({ ca }, `${name('caFile')}: ${tls.caFile ?? ''} is not a usable CA certificate`);
  if (cert !== undefined && key !== undefined) secureContext({ cert, key }, `${name('certFile')} and ${name('keyFile')}: ${tls.certFile ?? ''} and ${tls.keyFile ?? ''} are not a certificate and its key`);
  return {
    ...(ca !== undefined ? { ca: [ca] } : {}),
    ...(cert !== undefined && key !== undefined ? { cert, key } : {}),
    ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
  };
}

function saslOptions(settings: KafkaSecuritySettings, sasl: KafkaSaslSettings, file: (field: SecurityField, path: string) => string): SASLOptions {
  let password = sasl.password;
  if (password === undefined && sasl.passwordFile !== undefined) {
    // A file written by `echo` ends in a newline that is not part of the password.
    password = file('passwordFile', sasl.passwordFile).replace(/\r?\n$/, '');
    if (password === '') throw fileError(`${settingName(settings, 'passwordFile')}: ${sasl.passwordFile} is empty`);
  }
  const login = { username: sasl.username, password: password ?? '' };
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', ...login };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', ...login };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', ...login };
  }
}

function secureContext(options: { ca?: string; cert?: string; key?: string }, problem: string): void {
  try {
    createSecureContext(options);
  } catch (error) {
    // OpenSSL's reason names what is wrong (key values mismatch, no start line), never the key itself.
    throw new KafkaSecurityError('KAFKA_SECURITY_FILE', `${problem} (${(error as Error).message})`, { cause: error });
  }
}

function fileError(message: string): KafkaSecurityError {
  return new KafkaSecurityError('KAFKA_SECURITY_FILE', message);
}
