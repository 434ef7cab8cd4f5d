// Tests for the test broker's certificates: a CA that signs a broker certificate for 127.0.0.1 and a client certificate, made once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureKafkaCertificates } from '../src/kafka-certificates.js';

test('the CA signs a broker certificate naming 127.0.0.1 and kafka.sluice.test, and a client certificate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'infra-certs-'));
  try {
    const files = await ensureKafkaCertificates(join(dir, 'tls'));
    const ca = new X509Certificate(readFileSync(files.caFile));
    const keystore = readFileSync(files.brokerKeystoreFile, 'utf8');
    assert.match(keystore, /^-----BEGIN PRIVATE KEY-----/, 'Kafka reads an unencrypted PKCS#8 key first');
    const broker = new X509Certificate(keystore.slice(keystore.indexOf('-----BEGIN CERTIFICATE-----')));
    assert.ok(broker.verify(ca.publicKey));
    assert.equal(broker.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(broker.checkHost('kafka.sluice.test'), 'kafka.sluice.test');
    const client = new X509Certificate(readFileSync(files.clientCertFile));
    assert.ok(client.verify(ca.publicKey));
    assert.equal(client.subject, 'CN=sluice-client');
    assert.ok(client.checkPrivateKey(createPrivateKey(readFileSync(files.clientKeyFile))));
    assert.equal(statSync(files.brokerKeystoreFile).mode & 0o077, 0, 'the keystore is readable by its owner only');

    const again = await ensureKafkaCertificates(join(dir, 'tls'));
    assert.equal(readFileSync(again.caFile, 'utf8'), readFileSync(files.caFile, 'utf8'), 'a restart keeps the CA its clients trust');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
