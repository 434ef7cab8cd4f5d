// Makes security failures fast and plain: one TLS handshake checks the broker's certificate before kafkajs's first
// connection (kafkajs would retry an untrusted certificate for a minute), and a refused SASL login gets a clear error.
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { KafkaSecurityError } from './kafka-security-error.js';
import { settingName } from './kafka-security-settings.js';
import type { KafkaSecuritySettings } from './kafka-security-settings.js';
import type { KafkaConnectionSecurity } from './load-security.js';

export interface ConnectGuard {
  /** Resolves once a broker has shown a trusted certificate (or none answered: kafkajs retries as usual); rejects KAFKA_TLS_UNTRUSTED or KAFKA_TLS_CLIENT_CERT_REFUSED. */
  before(): Promise<void>;
  /** A refused SASL login becomes KAFKA_AUTH_FAILED; anything else passes through unchanged. */
  translate(error: unknown): unknown;
}

export interface ConnectGuardOptions {
  readonly brokers: readonly string[];
  readonly settings: KafkaSecuritySettings;
  readonly security: KafkaConnectionSecurity;
  readonly timeoutMs: number;
  /** Injected by tests. */
  readonly connect?: (options: ConnectionOptions) => TLSSocket;
}

/** OpenSSL's and Node's codes for "this certificate is not one to trust": no retry will change them. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The broker's alert when it refuses the client's certificate (or its absence): bad_certificate, certificate_required, unknown_ca… */
const CLIENT_CERT_ALERT = /^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNKNOWN_CA|UNSUPPORTED_CERTIFICATE)$/;

/**
 * An ApiVersions v0 request (size 10: api key 18, version 0, correlation id 1, null client id). Brokers answer it
 * before any SASL exchange; with TLS 1.3 a refused client certificate only shows once something is sent.
 */
const API_VERSIONS_REQUEST = Buffer.from([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0xff, 0xff]);

type Handshake =
  | { readonly kind: 'trusted' }
  | { readonly kind: 'untrusted' | 'refused'; readonly error: NodeJS.ErrnoException }
  | { readonly kind: 'unreachable' };

export function createConnectGuard(options: ConnectGuardOptions): ConnectGuard {
  const { settings, security } = options;
  const connect = options.connect ?? tlsConnect;
  let trusted = false;
  let checking: Promise<void> | undefined;

  const check = async (): Promise<void> => {
    for (const broker of options.brokers) {
      const result = await handshake(broker, security.ssl ?? {}, options.timeoutMs, connect);
      if (result.kind === 'untrusted') throw untrustedError(settings, broker, result.error);
      if (result.kind === 'refused') throw refusedError(settings, broker, result.error);
      if (result.kind === 'trusted') {
        trusted = true;
        return;
      }
    }
  };

  return {
    before: async () => {
      if (security.ssl === undefined || trusted) return;
      checking ??= check().finally(() => (checking = undefined));
      await checking;
    },
    translate: (error) => {
      const refusal = saslRefusal(error);
      const sasl = settings.sasl;
      if (refusal === undefined || sasl === undefined) return error;
      const names = `${settingName(settings, 'username')}, ${settingName(settings, 'password')} (or ${settingName(settings, 'passwordFile')}) and ${settingName(settings, 'mechanism')}`;
      return new KafkaSecurityError(
        'KAFKA_AUTH_FAILED',
        `Kafka at ${options.brokers.join(',')} refused the SASL ${sasl.mechanism.toUpperCase()} login of user "${sasl.username}" (${refusal.message}); check ${names}`,
        { cause: error },
      );
    },
  };
}

/** One TLS handshake with the options kafkajs will use (it sends SNI only for host names, as here). */
function handshake(broker: string, ssl: ConnectionOptions, timeoutMs: number, connect: (options: ConnectionOptions) => TLSSocket): Promise<Handshake> {
  const at = broker.lastIndexOf(':');
  const host = broker.slice(0, at);
  const port = Number(broker.slice(at + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...ssl });
    const done = (result: Handshake): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ kind: 'unreachable' }), timeoutMs);
    socket.once('secureConnect', () => socket.write(API_VERSIONS_REQUEST));
    socket.once('data', () => done({ kind: 'trusted' }));
    socket.once('close', () => done({ kind: 'unreachable' }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      done(UNTRUSTED.has(code) ? { kind: 'untrusted', error } : CLIENT_CERT_ALERT.test(code) ? { kind: 'refused', error } : { kind: 'unreachable' });
    });
  });
}

function untrustedError(settings: KafkaSecuritySettings, broker: string, error: NodeJS.ErrnoException): KafkaSecurityError {
  const caName = settingName(settings, 'caFile');
  const remedy =
    error.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? `the certificate does not name the address used; connect by a name it carries, or set ${settingName(settings, 'serverName')} to one`
      : settings.tls?.caFile !== undefined
        ? `${caName} (${settings.tls.caFile}) does not hold the CA that signed it`
        : `set ${caName} to the CA that signed it`;
  return new KafkaSecurityError('KAFKA_TLS_UNTRUSTED', `the Kafka broker at ${broker} presented a certificate this client does not trust (${error.code ?? ''}: ${error.message}); ${remedy}`, { cause: error });
}

function refusedError(settings: KafkaSecuritySettings, broker: string, error: NodeJS.ErrnoException): KafkaSecurityError {
  const remedy =
    settings.tls?.certFile === undefined
      ? `it requires a client certificate: set ${settingName(settings, 'certFile')} and ${settingName(settings, 'keyFile')}`
      : `${settingName(settings, 'certFile')} (${settings.tls.certFile}) is not signed by a CA it trusts`;
  return new KafkaSecurityError('KAFKA_TLS_CLIENT_CERT_REFUSED', `the Kafka broker at ${broker} refused this client's TLS certificate (${error.code ?? ''}); ${remedy}`, { cause: error });
}

/** kafkajs's SASL refusal, however deep its retrier wrapped it. */
function saslRefusal(error: unknown): Error | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current.name === 'KafkaJSSASLAuthenticationError') return current;
  }
  return undefined;
}
