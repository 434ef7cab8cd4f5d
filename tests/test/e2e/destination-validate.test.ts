// `sluice destination validate` against the real S3 server: the test object, refusals, no secrets in output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { createTestBucket, listKeys, runSluice, runTag, s3DestinationConf, testEnv, testS3 } from '../../src/index.js';

const env = testEnv();
const bucket = `validate-${runTag()}`;
let s3: S3Client;

before(async () => {
  s3 = testS3(env);
  await createTestBucket(s3, bucket);
});
after(() => s3?.destroy());

test('a writable destination gets <dir>/<YYYYMMDD>/test.txt.gz holding the gzipped {"content":"tests"}', async () => {
  const run = await runSluice(['destination', 'validate', s3DestinationConf(env, bucket, 'audit/{DATE}')]);
  assert.equal(run.code, 0, run.stderr);
  const keys = await listKeys(s3, bucket);
  assert.equal(keys.length, 1);
  assert.match(keys[0] ?? '', /^audit\/\d{8}\/test\.txt\.gz$/);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keys[0] }));
  assert.equal(gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString(), '{"content":"tests"}');
  assert.ok(!`${run.stdout}${run.stderr}`.includes(env.secretAccessKey));
});

test('a missing bucket is refused with the store’s reason and exit code 1, and the secret stays out of the output', async () => {
  const run = await runSluice(['destination', 'validate', s3DestinationConf(env, `${bucket}-missing`, 'audit')]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /refused: S3_NoSuchBucket/);
  assert.ok(!`${run.stdout}${run.stderr}`.includes(env.secretAccessKey));
});

test('an unusable destination_conf exits 2 and says what is wrong', async () => {
  const run = await runSluice(['destination', 'validate', 's3://some-bucket/dir?endpoint=127.0.0.1:9']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /invalid destination_conf: .*region/);
});
