// Tests for the build step that reads TLS and password files into kafkajs options: files named in errors, contents never.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createSelfSignedCertificate } from '@sluice/test-receivers';
import type { SelfSignedCertificate } from '@sluice/test-receivers';
import { loadKafkaSecurity } from '../../src/security/load-security.js';
import { isKafkaSecurityError } from '../../src/security/kafka-security-error.js';
import type { KafkaSecuritySettings } from '../../src/security/kafka-security-settings.js';

let a: SelfSignedCertificate;
let b: SelfSignedCertificate;
const SECRET = 'p4ss-w0rd-from-file';

before(async () => {
  [a, b] = await Promise.all([createSelfSignedCertificate(), createSelfSignedCertificate()]);
});

function files(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}

function refusal(settings: KafkaSecuritySettings, map: Record<string, string>): string {
  try {
    loadKafkaSecurity(settings, files(map));
  } catch (error) {
    assert.ok(isKafkaSecurityError(error, 'KAFKA_SECURITY_FILE'), String(error));
    return error.message;
  }
  assert.fail('accepted');
}

test('TLS files become kafkajs ssl options: the CA, the client certificate and key, the server name', () => {
  const loaded = loadKafkaSecurity({ tls: { caFile: '/ca', certFile: '/crt', keyFile: '/key', serverName: 'kafka.test' } }, files({ '/ca': a.cert, '/crt': b.cert, '/key': b.key }));
  assert.deepEqual(loaded.ssl, { ca: [a.cert], cert: b.cert, key: b.key, servername: 'kafka.test' });
  assert.equal(loaded.sasl, undefined);
  assert.deepEqual(loadKafkaSecurity({ tls: {} }, files({})), { ssl: {} });
  assert.deepEqual(loadKafkaSecurity({}, files({})), {});
});

test('a password file is read without its trailing newline', () => {
  const loaded = loadKafkaSecurity({ sasl: { mechanism: 'scram-sha-256', username: 'u', passwordFile: '/pw' } }, files({ '/pw': `${SECRET}\n` }));
  assert.deepEqual(loaded.sasl, { mechanism: 'scram-sha-256', username: 'u', password: SECRET });
  assert.match(refusal({ sasl: { mechanism: 'plain', username: 'u', passwordFile: '/pw' } }, { '/pw': '\n' }), /KAFKA_SASL_PASSWORD_FILE: \/pw is empty/);
});

test('a missing file is named by its setting and path', () => {
  assert.match(refusal({ tls: { caFile: '/nowhere/ca.pem' } }, {}), /KAFKA_SSL_CA_FILE: cannot read \/nowhere\/ca.pem \(ENOENT\)/);
  const names = { passwordFile: '/kafka/sasl/password_file' };
  assert.match(refusal({ sasl: { mechanism: 'plain', username: 'u', passwordFile: '/pw' }, names }, {}), /\/kafka\/sasl\/password_file: cannot read \/pw/);
});

test('a file holding the wrong thing is refused at start, without quoting it', () => {
  assert.match(refusal({ tls: { caFile: '/ca' } }, { '/ca': a.key }), /KAFKA_SSL_CA_FILE: \/ca holds no PEM certificate/);
  const swapped = refusal({ tls: { certFile: '/crt', keyFile: '/key' } }, { '/crt': a.cert, '/key': a.cert });
  assert.match(swapped, /KAFKA_SSL_KEY_FILE: \/key holds no PEM private key/);
  const encrypted = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n';
  assert.match(refusal({ tls: { certFile: '/crt', keyFile: '/key' } }, { '/crt': a.cert, '/key': encrypted }), /is an encrypted key/);
});

test('a certificate with another certificate\'s key is refused, naming both files and neither key', () => {
  const message = refusal({ tls: { certFile: '/a.crt', keyFile: '/b.key' } }, { '/a.crt': a.cert, '/b.key': b.key });
  assert.match(message, /KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE: \/a.crt and \/b.key are not a certificate and its key/);
  const keyBody = b.key.split('\n')[1] ?? '';
  assert.ok(keyBody.length > 20 && !message.includes(keyBody));
});
