import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyS3Error } from '../../src/s3/classify-s3-error.js';

function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });
}

test('throttling and server errors are retryable', () => {
  assert.equal(classifyS3Error(sdkError('SlowDown', 503)).status, 'retryable');
  assert.equal(classifyS3Error(sdkError('InternalError', 500)).status, 'retryable');
  assert.equal(classifyS3Error(sdkError('Whatever', 429)).status, 'retryable');
  assert.equal(classifyS3Error(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).status, 'retryable');
});

test('authentication and missing buckets are rejected', () => {
  assert.deepEqual(classifyS3Error(sdkError('AccessDenied', 403)).status, 'rejected');
  assert.deepEqual(classifyS3Error(sdkError('NoSuchBucket', 404)).code, 'S3_NoSuchBucket');
});

test('a Retry-After header is carried into the result', () => {
  const result = classifyS3Error(sdkError('SlowDown', 503, { $response: { headers: { 'retry-after': '7' } } }));
  assert.deepEqual(result.status === 'retryable' && result.retryAfterMs, 7000);
});

test('a credential quoted in an SDK message does not survive classification', () => {
  const result = classifyS3Error(sdkError('AccessDenied', 403, { message: 'denied for s3://b?secret-access-key=SEKRIT' }));
  assert.ok(!result.message.includes('SEKRIT'), result.message);
});

test('501 Not Implemented is rejected: the store lacks a feature the destination asks for (sse)', () => {
  const result = classifyS3Error(sdkError('NotImplemented', 501));
  assert.equal(result.status, 'rejected');
  assert.equal(result.code, 'S3_NotImplemented');
});

test('a reply that is not S3 XML is reported by its HTTP status, and a 503 stays retryable', () => {
  const parseFailure = sdkError('Error', 503, { message: "char 'i' is not expected.:1:1\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object." });
  const result = classifyS3Error(parseFailure);
  assert.equal(result.status, 'retryable');
  assert.equal(result.code, 'S3_HTTP_503');
  assert.equal(result.message, 'HTTP 503 from the store, with a body that is not an S3 error document');
});
