import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseS3Conf } from '../../src/s3/s3-config.js';

test('an S3-compatible destination with keys and a local endpoint URL is read in full', () => {
  const result = parseS3Conf('s3://logs/http/{DATE}?region=us-east-1&endpoint=http://127.0.0.1:9000&access-key-id=AK&secret-access-key=SK');
  assert.deepEqual(result, {
    ok: true,
    config: {
      bucket: 'logs',
      path: 'http/{DATE}',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      serverSideEncryption: undefined,
    },
  });
});

test('an endpoint given as a bare host means https', () => {
  const result = parseS3Conf('s3://logs?region=auto&endpoint=storage.example.com:8443');
  assert.ok(result.ok);
  assert.equal(result.config.endpoint, 'https://storage.example.com:8443');
  assert.equal(result.config.path, '');
});

test('a missing region is refused with an example', () => {
  const result = parseS3Conf('s3://logs/dir');
  assert.deepEqual(result, { ok: false, message: 'the region parameter is required, e.g. s3://bucket/path?region=us-east-1' });
});

test('a secret key without its access key is refused without quoting the secret', () => {
  const result = parseS3Conf('s3://logs/dir?region=us-east-1&secret-access-key=VERYSECRET');
  assert.equal(result.ok, false);
  assert.ok(!result.ok && !result.message.includes('VERYSECRET'));
  assert.match(!result.ok ? result.message : '', /go together/);
});

test('unknown parameters, bad bucket names and dot segments are refused', () => {
  assert.match(JSON.stringify(parseS3Conf('s3://logs?region=r&colour=blue')), /unknown parameter \\"colour\\"/);
  assert.match(JSON.stringify(parseS3Conf('s3://Bad_Bucket?region=r')), /not a valid S3 bucket name/);
  assert.match(JSON.stringify(parseS3Conf('s3://logs/a/../b?region=r')), /may not contain/);
});
