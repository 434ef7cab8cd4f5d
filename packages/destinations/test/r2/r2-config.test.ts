import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseR2Conf } from '../../src/r2/r2-config.js';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

test('an r2 URI becomes an S3 configuration at the account endpoint in region auto', () => {
  const result = parseR2Conf(`r2://logs/http/{DATE}?account-id=${ACCOUNT}&access-key-id=AKID&secret-access-key=S3CR3T`);
  assert.deepEqual(result, {
    ok: true,
    config: {
      bucket: 'logs',
      path: 'http/{DATE}',
      region: 'auto',
      endpoint: `https://${ACCOUNT}.r2.cloudflarestorage.com`,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'S3CR3T' },
      serverSideEncryption: undefined,
    },
  });
});

test('account id and keys are required, and messages never quote the secret', () => {
  const messages = [
    `r2://logs?access-key-id=AKID&secret-access-key=S3CR3T`,
    `r2://logs?account-id=ACME&access-key-id=AKID&secret-access-key=S3CR3T`,
    `r2://logs?account-id=${ACCOUNT}&access-key-id=AKID`,
    `r2://logs?account-id=${ACCOUNT}&access-key-id=AKID&secret-access-key=S3CR3T&region=us-east-1`,
    `r2://Bad_Bucket?account-id=${ACCOUNT}&access-key-id=AKID&secret-access-key=S3CR3T`,
  ].map((conf) => {
    const result = parseR2Conf(conf);
    assert.equal(result.ok, false, conf);
    return result.ok ? '' : result.message;
  });
  assert.deepEqual(messages, [
    'the account-id parameter is required (your Cloudflare account id)',
    'account-id "ACME" is not a 32-character lowercase hex account id',
    'access-key-id and secret-access-key are required for R2',
    'unknown parameter "region"; known: account-id, access-key-id, secret-access-key',
    'bucket "Bad_Bucket" is not a valid S3 bucket name (3-63 characters of a-z, 0-9, "." and "-")',
  ]);
  for (const message of messages) assert.ok(!message.includes('S3CR3T'));
});
