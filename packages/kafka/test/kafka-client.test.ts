import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBrokers } from '../src/kafka-client.js';
import { deadLetterHeaders } from '../src/dead-letter.js';

test('parseBrokers splits a comma-separated list and trims spaces', () => {
  assert.deepEqual(parseBrokers('127.0.0.1:9092, 127.0.0.1:9094'), ['127.0.0.1:9092', '127.0.0.1:9094']);
});

test('parseBrokers names the entry that is not host:port', () => {
  assert.throws(() => parseBrokers('127.0.0.1'), /"127\.0\.0\.1" is not host:port/);
  assert.throws(() => parseBrokers(' , '), /empty/);
});

test('dead-letter headers carry the source topic, partition and offset of the record', () => {
  const headers = deadLetterHeaders({ jobId: 7, reasonCode: 'DECODE_BAD_JSON', reason: 'x', topic: 't', partition: 3, offset: '42' });
  assert.equal(headers['sluice-dlq-topic'], 't');
  assert.equal(headers['sluice-dlq-partition'], '3');
  assert.equal(headers['sluice-dlq-offset'], '42');
  assert.equal(headers['sluice-dlq-job-id'], '7');
});

test('createKafkaClient takes its security from the environment by default and refuses a bad setting at once', async () => {
  const { createKafkaClient } = await import('../src/kafka-client.js');
  const { PLAINTEXT_SECURITY } = await import('../src/security/kafka-security-settings.js');
  const { createLogger } = await import('@sluice/logging');
  const logger = createLogger({ name: 'kafka-client-test', level: 'silent' });
  const saved = { ...process.env };
  try {
    process.env['KAFKA_SASL_MECHANISM'] = 'SCRAM-SHA-1';
    process.env['KAFKA_SASL_USERNAME'] = 'pusher';
    process.env['KAFKA_SASL_PASSWORD'] = 'env-secret-value';
    assert.throws(
      () => createKafkaClient({ brokers: ['127.0.0.1:9092'], clientId: 't', logger }),
      (error: Error & { code?: string }) => error.code === 'KAFKA_SECURITY_INVALID' && /KAFKA_SASL_MECHANISM: "SCRAM-SHA-1"/.test(error.message) && !error.message.includes('env-secret-value'),
    );
    assert.ok(createKafkaClient({ brokers: ['127.0.0.1:9092'], clientId: 't', logger, security: PLAINTEXT_SECURITY }), 'explicit settings win over the environment');
    process.env['KAFKA_SASL_MECHANISM'] = '';
    process.env['KAFKA_SASL_USERNAME'] = '';
    process.env['KAFKA_SASL_PASSWORD'] = '';
    process.env['KAFKA_SSL_CA_FILE'] = '/nowhere/ca.pem';
    assert.throws(() => createKafkaClient({ brokers: ['127.0.0.1:9092'], clientId: 't', logger }), (error: Error & { code?: string }) => error.code === 'KAFKA_SECURITY_FILE' && /KAFKA_SSL_CA_FILE: cannot read \/nowhere\/ca.pem/.test(error.message));
  } finally {
    for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL_CA_FILE']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
});
