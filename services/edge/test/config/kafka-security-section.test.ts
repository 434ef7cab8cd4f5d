// Tests for the edge config's Kafka TLS and SASL settings: read like the KAFKA_* variables, named by their paths, no inline password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readKafkaSecurity } from '../../src/config/kafka-security-section.js';

function read(kafka: Record<string, unknown>): { settings: ReturnType<typeof readKafkaSecurity>; issues: string[] } {
  const issues: string[] = [];
  const settings = readKafkaSecurity(kafka, (path) => (path.startsWith('/') ? path : `/etc/sluice/${path}`), (path, message) => issues.push(`${path}: ${message}`));
  return { settings, issues };
}

test('no tls or sasl section leaves security to the KAFKA_* variables', () => {
  assert.deepEqual(read({ brokers: 'k:9093' }), { settings: undefined, issues: [] });
});

test('tls and sasl sections become settings with files resolved against the config folder', () => {
  const { settings, issues } = read({
    tls: { ca_file: 'ca.pem', cert_file: '/abs/client.pem', key_file: 'client.key', server_name: 'kafka.example.com' },
    sasl: { mechanism: 'SCRAM-SHA-512', username: 'edge', password_file: 'kafka.password' },
  });
  assert.deepEqual(issues, []);
  assert.deepEqual(settings?.tls, { caFile: '/etc/sluice/ca.pem', certFile: '/abs/client.pem', keyFile: '/etc/sluice/client.key', serverName: 'kafka.example.com' });
  assert.deepEqual(settings?.sasl, { mechanism: 'scram-sha-512', username: 'edge', passwordFile: '/etc/sluice/kafka.password' });
  assert.equal(settings?.names?.caFile, '/kafka/tls/ca_file', 'later file errors name the config path');
  assert.deepEqual(read({ tls: true }).settings?.tls, {});
});

test('problems are named by their path in the config file', () => {
  const { issues } = read({ tls: { ca_file: 'ca.pem', cert_file: 'c.pem', ca_location: 'x' }, sasl: { mechanism: 'GSSAPI', username: 'edge' } });
  assert.ok(issues.includes('/kafka/tls/ca_location: "ca_location" is not a setting here; allowed: ca_file, cert_file, key_file, server_name'), issues.join('\n'));
  assert.ok(issues.some((i) => i.startsWith('/kafka/tls/key_file: is required when /kafka/tls/cert_file is set')), issues.join('\n'));
  assert.ok(issues.some((i) => i.startsWith('/kafka/sasl/mechanism: "GSSAPI" is not allowed')), issues.join('\n'));
  assert.ok(issues.some((i) => i.startsWith('/kafka/sasl/password_file: is required with /kafka/sasl/mechanism')), issues.join('\n'));
  assert.deepEqual(read({ tls: 'yes' }).issues, ['/kafka/tls: "yes" is not allowed; expected {"ca_file": "kafka-ca.pem"} or true']);
});

test('a password written into the config file is refused and never repeated', () => {
  const { settings, issues } = read({ sasl: { mechanism: 'PLAIN', username: 'edge', password: 'inline-secret' } });
  assert.equal(settings, undefined);
  assert.ok(issues.some((i) => i.startsWith('/kafka/sasl/password: is not allowed: keep the password out of the config file')));
  assert.ok(!issues.join('\n').includes('inline-secret'));
});
