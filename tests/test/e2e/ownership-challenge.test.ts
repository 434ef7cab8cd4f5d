// `sluice ownership` against the real S3 server: the challenge file, its token, and refusals for another zone, bucket or key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { createTestBucket, listKeys, runSluice, runTag, s3DestinationConf, testEnv, testS3 } from '../../src/index.js';
import type { SluiceRun } from '../../src/index.js';

const env = testEnv();
const tag = runTag();
const bucket = `ownership-${tag}`;
const otherBucket = `ownership-${tag}-other`;
const ZONE = '0123456789abcdef0123456789abcdef';
const OTHER_ZONE = 'fedcba9876543210fedcba9876543210';
const KEY = `e2e-ownership-signing-key-${tag}-0123456789`;
const withKey = { SLUICE_OWNERSHIP_KEY: KEY };
const conf = s3DestinationConf(env, bucket, 'audit/{DATE}');

let s3: S3Client;
let written: SluiceRun;
let filename: string;
let token: string;
let tokenFile: string;

before(async () => {
  s3 = testS3(env);
  await createTestBucket(s3, bucket);
  await createTestBucket(s3, otherBucket);
  written = await runSluice(['ownership', conf, '--zone', ZONE], withKey);
  filename = written.stdout.trim();
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: filename }));
  token = await object.Body!.transformToString();
  tokenFile = join(mkdtempSync(join(tmpdir(), 'sluice-ownership-')), 'token.txt');
  writeFileSync(tokenFile, `${token}\n`);
});
after(() => s3?.destroy());

function verify(destinationConf: string, scopeFlags: string[], processEnv: NodeJS.ProcessEnv = withKey, tokenArg = `@${tokenFile}`): Promise<SluiceRun> {
  return runSluice(['ownership', 'verify', destinationConf, ...scopeFlags, '--token', tokenArg], processEnv);
}

test('sluice ownership writes <dir>/ownership-challenge-<8hex>.txt with {DATE} expanded, holding a v1 token, and prints only its name', async () => {
  assert.equal(written.code, 0, written.stderr);
  assert.match(filename, /^audit\/\d{8}\/ownership-challenge-[0-9a-f]{8}\.txt$/);
  assert.deepEqual(await listKeys(s3, bucket), [filename]);
  assert.match(token, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  assert.match(written.stderr, new RegExp(`ownership challenge written to s3://${bucket}/${filename.replaceAll('.', '\\.')}`));
  const output = `${written.stdout}${written.stderr}`;
  for (const secret of [token, KEY, env.secretAccessKey]) assert.ok(!output.includes(secret), 'the output quotes a secret or the token');
});

test('the token read from the bucket verifies for the same destination and zone', async () => {
  const run = await verify(conf, ['--zone', ZONE]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`ownership valid: challenge [0-9a-f]{8} for zones/${ZONE}`));
});

test('the token is refused for another zone and for an account with the same id', async () => {
  for (const flags of [['--zone', OTHER_ZONE], ['--account', ZONE]]) {
    const run = await verify(conf, flags);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /ownership not valid: OWNERSHIP_SCOPE_MISMATCH/);
  }
});

test('the token is refused for another bucket on the same server, and for another folder', async () => {
  for (const destinationConf of [s3DestinationConf(env, otherBucket, 'audit/{DATE}'), s3DestinationConf(env, bucket, 'elsewhere/{DATE}')]) {
    const run = await verify(destinationConf, ['--zone', ZONE]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /ownership not valid: OWNERSHIP_LOCATION_MISMATCH/);
    assert.ok(!run.stderr.includes(env.secretAccessKey));
  }
});

test('after a key rotation the token verifies while the old key is listed as previous, and is refused once it is dropped', async () => {
  const rotated = { SLUICE_OWNERSHIP_KEY: `e2e-rotated-signing-key-${tag}-0123456789` };
  const kept = await verify(conf, ['--zone', ZONE], { ...rotated, SLUICE_OWNERSHIP_PREVIOUS_KEYS: KEY });
  assert.equal(kept.code, 0, kept.stderr);
  const dropped = await verify(conf, ['--zone', ZONE], rotated);
  assert.equal(dropped.code, 1);
  assert.match(dropped.stderr, /OWNERSHIP_TAMPERED/);
});

test('an edited token is refused as tampered, given inline instead of from a file', async () => {
  const [version, payload = '', mac] = token.split('.');
  const edited = `${version}.${payload.slice(0, -2)}${payload.endsWith('A') ? 'B' : 'A'}${payload.slice(-1)}.${mac}`;
  const run = await verify(conf, ['--zone', ZONE], withKey, edited);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /OWNERSHIP_TAMPERED/);
});

test('without a signing key nothing is written and the command exits 2 saying how to set one', async () => {
  const run = await runSluice(['ownership', s3DestinationConf(env, otherBucket, 'audit'), '--zone', ZONE], { SLUICE_OWNERSHIP_KEY: '' });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /SLUICE_OWNERSHIP_KEY is not set: .*at least 32 bytes.*export SLUICE_OWNERSHIP_KEY=/);
  assert.deepEqual(await listKeys(s3, otherBucket), []);
});

test('a missing bucket is refused with the store’s reason and exit code 1', async () => {
  const run = await runSluice(['ownership', s3DestinationConf(env, `${bucket}-missing`, 'audit'), '--zone', ZONE], withKey);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /ownership challenge not written: refused: S3_NoSuchBucket/);
  assert.ok(!run.stderr.includes(env.secretAccessKey));
});
