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
