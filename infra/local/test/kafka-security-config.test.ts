// Tests for a secured broker's settings: SASL_SSL and mTLS listeners beside PLAINTEXT, SCRAM users at format time, the authorizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProperties } from '../src/java-properties.js';
import { renderServerProperties } from '../src/kafka-config.js';
import { scramFormatArgs } from '../src/kafka-security-config.js';
import type { BrokerSecurityConfig } from '../src/kafka-security-config.js';

const certificates = { caFile: '/s/tls/ca.pem', brokerKeystoreFile: '/s/tls/broker-keystore.pem', clientCertFile: '/s/tls/client.pem', clientKeyFile: '/s/tls/client.key' };
const security = (authorizer: boolean): BrokerSecurityConfig => ({ saslSslPort: 29094, mtlsPort: 29095, certificates, users: { admin: 'a1', edge: 'e2' }, authorizer, superUsers: ['admin'] });
const render = (authorizer: boolean): Map<string, string> =>
  parseProperties(renderServerProperties({ host: '127.0.0.1', port: 29092, controllerPort: 29093, dataDir: '/s/data', security: security(authorizer) }));

test('the secured listeners join PLAINTEXT, advertised and mapped to SASL_SSL and SSL', () => {
  const props = render(false);
  assert.equal(props.get('listeners'), 'PLAINTEXT://127.0.0.1:29092,SECURE://127.0.0.1:29094,MTLS://127.0.0.1:29095,CONTROLLER://127.0.0.1:29093');
  assert.equal(props.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:29092,SECURE://127.0.0.1:29094,MTLS://127.0.0.1:29095');
  assert.equal(props.get('listener.security.protocol.map'), 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SECURE:SASL_SSL,MTLS:SSL');
  assert.equal(props.get('inter.broker.listener.name'), 'PLAINTEXT');
});

test('TLS uses PEM stores; SASL offers PLAIN and both SCRAMs; the mTLS listener requires client certificates', () => {
  const props = render(false);
  assert.equal(props.get('ssl.keystore.type'), 'PEM');
  assert.equal(props.get('ssl.keystore.location'), certificates.brokerKeystoreFile);
  assert.equal(props.get('ssl.truststore.location'), certificates.caFile);
  assert.equal(props.get('listener.name.secure.sasl.enabled.mechanisms'), 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512');
  assert.match(props.get('listener.name.secure.plain.sasl.jaas.config') ?? '', /PlainLoginModule required user_admin="a1" user_edge="e2";$/);
  assert.match(props.get('listener.name.secure.scram-sha-512.sasl.jaas.config') ?? '', /ScramLoginModule required;/);
  assert.equal(props.get('listener.name.mtls.ssl.client.auth'), 'required');
  assert.equal(props.has('authorizer.class.name'), false);
});

test('with the authorizer on, only the broker itself, the mTLS client and admin are super users', () => {
  const props = render(true);
  assert.equal(props.get('authorizer.class.name'), 'org.apache.kafka.metadata.authorizer.StandardAuthorizer');
  assert.equal(props.get('super.users'), 'User:ANONYMOUS;User:CN=sluice-client;User:admin');
  assert.equal(props.get('allow.everyone.if.no.acl.found'), 'false');
});

test('every user gets a SCRAM-SHA-256 and a SCRAM-SHA-512 credential at format time', () => {
  assert.deepEqual(scramFormatArgs({ admin: 'a1', edge: 'e2' }), [
    '--add-scram', 'SCRAM-SHA-256=[name=admin,password=a1]',
    '--add-scram', 'SCRAM-SHA-512=[name=admin,password=a1]',
    '--add-scram', 'SCRAM-SHA-256=[name=edge,password=e2]',
    '--add-scram', 'SCRAM-SHA-512=[name=edge,password=e2]',
  ]);
});
