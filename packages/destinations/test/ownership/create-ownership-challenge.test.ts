import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOwnershipChallenge } from '../../src/ownership/create-ownership-challenge.js';
import { verifyOwnership } from '../../src/ownership/verify-ownership.js';
import { conf, fakeStore, key, onlyFile, registryOver, SECRET, T0, ZONE } from './ownership-fixture.js';
import type { FakeStore } from './ownership-fixture.js';

const signal = new AbortController().signal;

function challenge(store: FakeStore, destinationConf: string) {
  return createOwnershipChallenge({ registry: registryOver(store), destinationConf, scope: `zones/${ZONE}`, key: key(), signal, now: () => T0, challengeId: () => '1a2b3c4d' });
}

test('the challenge file goes into the destination folder with {DATE} expanded, as ownership-challenge-<8hex>.txt', async () => {
  const store = fakeStore();
  const result = await challenge(store, conf('logs', 'http/{DATE}'));
  assert.equal(result.status, 'written');
  assert.equal(onlyFile(store).path, 'logs/http/20260131/ownership-challenge-1a2b3c4d.txt');
  assert.ok(result.status === 'written');
  assert.equal(result.filename, 'http/20260131/ownership-challenge-1a2b3c4d.txt');
  assert.equal(result.location, 's3://logs/http/20260131/ownership-challenge-1a2b3c4d.txt');
  assert.equal(result.expiresAt.toISOString(), '2026-02-07T12:00:00.000Z');
  assert.match(result.message, /ownership_challenge/);
});

test('a folder without {DATE} gets the file directly in it, and the bucket root gets it at the top', async () => {
  const inFolder = fakeStore();
  await challenge(inFolder, conf('logs', 'audit/edge/'));
  assert.equal(onlyFile(inFolder).path, 'logs/audit/edge/ownership-challenge-1a2b3c4d.txt');
  const atRoot = fakeStore();
  await challenge(atRoot, conf('logs', ''));
  assert.equal(onlyFile(atRoot).path, 'logs/ownership-challenge-1a2b3c4d.txt');
});

test('the token is only in the file: the result carries neither it nor the destination secret', async () => {
  const store = fakeStore();
  const result = await challenge(store, conf());
  const { token } = onlyFile(store);
  assert.match(token, /^v1\./);
  const shown = JSON.stringify(result);
  assert.ok(!shown.includes(token));
  assert.ok(!shown.includes(token.split('.')[2] ?? 'none'));
  assert.ok(!shown.includes(SECRET));
  assert.ok(!Buffer.from(token.split('.')[1] ?? '', 'base64url').toString().includes(SECRET), 'the readable payload holds no credential');
});

test('the written token verifies for the same scope and destination', async () => {
  const store = fakeStore();
  await challenge(store, conf());
  const verdict = verifyOwnership({ registry: registryOver(store), destinationConf: conf(), scope: `zones/${ZONE}`, token: onlyFile(store).token, keys: [key()], now: () => T0 + 1000 });
  assert.deepEqual(verdict, { valid: true, scope: `zones/${ZONE}`, challengeId: '1a2b3c4d', issuedAt: new Date(T0), expiresAt: new Date(T0 + 7 * 24 * 3600 * 1000) });
});

test('S3 without keys requires the challenge; S3 with keys and R2 accept it without requiring it', async () => {
  const required = async (destinationConf: string) => {
    const result = await challenge(fakeStore(), destinationConf);
    assert.ok(result.status === 'written', destinationConf);
    return result.required;
  };
  assert.equal(await required('s3://logs/http?region=us-east-1'), true);
  assert.equal(await required(conf()), false);
  assert.equal(await required(`r2://logs/http?account-id=${ZONE}&access-key-id=AKID&secret-access-key=${SECRET}`), false);
});

test('HTTP and Splunk destinations take no challenge: nothing is written and the result says so', async () => {
  for (const destinationConf of ['https://logs.example.com/ingest?header_Authorization=Bearer%20x', 'splunk://hec.example.com:8088/services/collector/raw?channel=0f0f0f0f-0f0f-0f0f-0f0f-0f0f0f0f0f0f&header_Authorization=Splunk%20x']) {
    const store = fakeStore();
    const result = await challenge(store, destinationConf);
    assert.equal(result.status, 'not_supported', destinationConf);
    assert.equal(store.files.size, 0);
  }
});

test('an unreadable destination_conf is invalid with the parser’s reason, and nothing is built', async () => {
  const store = fakeStore();
  const result = await challenge(store, `s3://logs/http?access-key-id=AKID&secret-access-key=${SECRET}`);
  assert.deepEqual(result, { status: 'invalid', message: 'the region parameter is required, e.g. s3://bucket/path?region=us-east-1' });
  assert.equal(store.closed, 0);
});

test('a refused write is passed on with its code, and the destination is closed either way', async () => {
  const store = fakeStore();
  store.failWith = { status: 'rejected', code: 'S3_AccessDenied', message: 'Access Denied' };
  const result = await challenge(store, conf());
  assert.deepEqual(result, { status: 'rejected', code: 'S3_AccessDenied', message: 'Access Denied' });
  assert.equal(store.closed, 1);
  const fine = fakeStore();
  await challenge(fine, conf());
  assert.equal(fine.closed, 1);
});
