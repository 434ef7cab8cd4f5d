// Tests for the connect guard: an untrusted broker certificate and a refused client certificate fail at once; SASL refusals get a code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:tls';
import type { Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCertificate } from '@sluice/test-receivers';
import type { SelfSignedCertificate } from '@sluice/test-receivers';
import { createConnectGuard } from '../../src/security/connect-guard.js';
import { isKafkaSecurityError } from '../../src/security/kafka-security-error.js';
import type { KafkaSecuritySettings } from '../../src/security/kafka-security-settings.js';
import type { KafkaConnectionSecurity } from '../../src/security/load-security.js';

let broker: SelfSignedCertificate;
let client: SelfSignedCertificate;
let plainServer: Server;
let mtlsServer: Server;
const SECRET = 'sasl-secret-value';

/** Answers any bytes with a few bytes, as a broker answers ApiVersions. */
function listen(options: Parameters<typeof createServer>[0]): Promise<Server> {
  const server = createServer(options, (socket) => {
    socket.on('data', () => socket.write(Buffer.from([0, 0, 0, 0])));
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const address = (server: Server): string => `127.0.0.1:${(server.address() as AddressInfo).port}`;

function guard(brokers: string, settings: KafkaSecuritySettings, security: KafkaConnectionSecurity) {
  return createConnectGuard({ brokers: [brokers], settings, security, timeoutMs: 3_000 });
}

before(async () => {
  [broker, client] = await Promise.all([createSelfSignedCertificate(), createSelfSignedCertificate()]);
  plainServer = await listen({ key: broker.key, cert: broker.cert });
  mtlsServer = await listen({ key: broker.key, cert: broker.cert, requestCert: true, rejectUnauthorized: true, ca: [broker.cert] });
});

after(() => {
  plainServer.close();
  mtlsServer.close();
});

test('a broker certificate signed by the configured CA passes', async () => {
  await guard(address(plainServer), { tls: { caFile: '/ca' } }, { ssl: { ca: [broker.cert] } }).before();
});

test('a broker certificate no configured CA signed fails at once with KAFKA_TLS_UNTRUSTED, naming the CA setting', async () => {
  const started = Date.now();
  await assert.rejects(guard(address(plainServer), { tls: { caFile: '/etc/other-ca.pem' } }, { ssl: { ca: [client.cert] } }).before(), (error) => {
    assert.ok(isKafkaSecurityError(error, 'KAFKA_TLS_UNTRUSTED'), String(error));
    assert.match(error.message, /KAFKA_SSL_CA_FILE \(\/etc\/other-ca.pem\) does not hold the CA that signed it/);
    return true;
  });
  assert.ok(Date.now() - started < 2_000);
});

test('a server name the certificate does not carry fails with KAFKA_TLS_UNTRUSTED, pointing at the server name', async () => {
  await assert.rejects(guard(address(plainServer), { tls: {} }, { ssl: { ca: [broker.cert], servername: 'kafka.other.test' } }).before(), (error) => {
    return isKafkaSecurityError(error, 'KAFKA_TLS_UNTRUSTED') && /KAFKA_SSL_SERVER_NAME/.test(error.message);
  });
});

test('a broker that requires a client certificate and gets none fails with KAFKA_TLS_CLIENT_CERT_REFUSED', async () => {
  await assert.rejects(guard(address(mtlsServer), { tls: {} }, { ssl: { ca: [broker.cert] } }).before(), (error) => {
    return isKafkaSecurityError(error, 'KAFKA_TLS_CLIENT_CERT_REFUSED') && /set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE/.test(error.message);
  });
  // The broker's own certificate doubles as a client certificate its CA list trusts.
  await guard(address(mtlsServer), { tls: {} }, { ssl: { ca: [broker.cert], cert: broker.cert, key: broker.key } }).before();
});

test('a broker that does not answer is left to kafkajs\'s retries; plaintext clients are not checked', async () => {
  await guard('127.0.0.1:1', { tls: {} }, { ssl: {} }).before();
  await guard(address(plainServer), {}, {}).before();
});

test('a refused SASL login, however wrapped, becomes KAFKA_AUTH_FAILED naming the user and mechanism, never the password', () => {
  const settings: KafkaSecuritySettings = { sasl: { mechanism: 'scram-sha-512', username: 'pusher', password: SECRET } };
  // As kafkajs throws it: its retrier wraps the refusal in a KafkaJSNonRetriableError with the refusal as cause.
  const refused = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), { name: 'KafkaJSSASLAuthenticationError' });
  const wrapped = Object.assign(new Error(refused.message, { cause: refused }), { name: 'KafkaJSNonRetriableError' });
  const translated = guard('127.0.0.1:9093', settings, {}).translate(wrapped);
  assert.ok(isKafkaSecurityError(translated, 'KAFKA_AUTH_FAILED'));
  assert.match(translated.message, /refused the SASL SCRAM-SHA-512 login of user "pusher"/);
  assert.ok(!translated.message.includes(SECRET));
  const other = new Error('Connection timeout');
  assert.equal(guard('127.0.0.1:9093', settings, {}).translate(other), other);
});
