// Tests for reading Kafka TLS and SASL settings from KAFKA_SSL* / KAFKA_SASL_* variables: pure, every issue named, no password shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaSecurityFromEnv } from '../../src/security/security-from-env.js';
import { isKafkaSecurityError } from '../../src/security/kafka-security-error.js';

const SECRET = 'hunter2-correct-horse';

function failure(env: Record<string, string>): string {
  try {
    kafkaSecurityFromEnv(env);
  } catch (error) {
    assert.ok(isKafkaSecurityError(error, 'KAFKA_SECURITY_INVALID'), String(error));
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(Object.keys(env))}`);
}

test('no security variables means a plaintext, unauthenticated client', () => {
  assert.deepEqual(kafkaSecurityFromEnv({ KAFKA_BROKERS: '127.0.0.1:9092', PATH: '/usr/bin' }), {});
});

test('KAFKA_SSL=true alone is TLS trusting the system CAs; a CA file alone implies TLS', () => {
  assert.deepEqual(kafkaSecurityFromEnv({ KAFKA_SSL: 'true' }), { tls: {} });
  assert.deepEqual(kafkaSecurityFromEnv({ KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem' }), { tls: { caFile: '/etc/kafka/ca.pem' } });
  assert.deepEqual(kafkaSecurityFromEnv({ KAFKA_SSL: 'false' }), {});
});

test('mutual TLS and a server name are read with the CA', () => {
  const env = { KAFKA_SSL_CA_FILE: 'ca.pem', KAFKA_SSL_CERT_FILE: 'client.pem', KAFKA_SSL_KEY_FILE: 'client.key', KAFKA_SSL_SERVER_NAME: 'kafka.example.com' };
  assert.deepEqual(kafkaSecurityFromEnv(env), { tls: { caFile: 'ca.pem', certFile: 'client.pem', keyFile: 'client.key', serverName: 'kafka.example.com' } });
});

test('a SASL login is read with its mechanism in any case, the password inline or from a file', () => {
  assert.deepEqual(kafkaSecurityFromEnv({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'pusher', KAFKA_SASL_PASSWORD: SECRET }), {
    tls: {},
    sasl: { mechanism: 'scram-sha-512', username: 'pusher', password: SECRET },
  });
  assert.deepEqual(kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka' }), {
    sasl: { mechanism: 'plain', username: 'u', passwordFile: '/run/secrets/kafka' },
  });
});

test('a bad value is named by its variable with the value shown and what is allowed', () => {
  assert.match(failure({ KAFKA_SSL: 'maybe' }), /KAFKA_SSL: "maybe" is not allowed; expected true or false/);
  assert.match(failure({ KAFKA_SASL_MECHANISM: 'GSSAPI', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET }), /KAFKA_SASL_MECHANISM: "GSSAPI" is not allowed; expected PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512/);
  assert.match(failure({ KAFKA_SSL_SERVER_NAME: 'not a host' }), /KAFKA_SSL_SERVER_NAME: "not a host" is not a host name/);
});

test('contradictions and missing partners are named, every one at once', () => {
  const message = failure({ KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: 'ca.pem', KAFKA_SSL_CERT_FILE: 'c.pem', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256' });
  assert.match(message, /KAFKA_SSL: is false, but KAFKA_SSL_CA_FILE and KAFKA_SSL_CERT_FILE are set/);
  assert.match(message, /KAFKA_SSL_KEY_FILE: is required when KAFKA_SSL_CERT_FILE is set/);
  assert.match(message, /KAFKA_SASL_USERNAME: is required with KAFKA_SASL_MECHANISM/);
  assert.match(message, /KAFKA_SASL_PASSWORD: or KAFKA_SASL_PASSWORD_FILE is required/);
  assert.match(failure({ KAFKA_SSL_KEY_FILE: 'k.pem' }), /KAFKA_SSL_CERT_FILE: is required when KAFKA_SSL_KEY_FILE is set/);
  assert.match(failure({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET }), /KAFKA_SASL_MECHANISM: is required when KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are set/);
});

test('a misspelt KAFKA_SSL_ / KAFKA_SASL_ variable is refused rather than ignored', () => {
  assert.match(failure({ KAFKA_SASL_MECHANISMS: 'PLAIN' }), /KAFKA_SASL_MECHANISMS: is not a Kafka security setting; known: KAFKA_SSL, /);
  assert.match(failure({ KAFKA_SSL_CA_LOCATION: '/ca.pem' }), /KAFKA_SSL_CA_LOCATION/);
});

test('no error ever shows the password, whatever else is wrong', () => {
  const cases: Record<string, string>[] = [
    { KAFKA_SASL_PASSWORD: SECRET },
    { KAFKA_SASL_MECHANISM: 'SCRAM-SHA-1', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET },
    { KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET, KAFKA_SASL_PASSWORD_FILE: '/p' },
    { KAFKA_SSL: 'maybe', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_PASSWORD: SECRET },
  ];
  for (const env of cases) {
    const message = failure(env);
    assert.ok(!message.includes(SECRET), message);
  }
  assert.match(failure(cases[2] ?? {}), /KAFKA_SASL_PASSWORD: is set together with KAFKA_SASL_PASSWORD_FILE; set one of them/);
});

test('empty variables count as unset, as a shell\'s `VAR=` means', () => {
  assert.deepEqual(kafkaSecurityFromEnv({ KAFKA_SSL: '', KAFKA_SASL_MECHANISM: '', KAFKA_SSL_CA_FILE: '' }), {});
});
