import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createOwnershipChallenge } from '../../src/ownership/create-ownership-challenge.js';
import { verifyOwnership } from '../../src/ownership/verify-ownership.js';
import type { OwnershipScope } from '../../src/ownership/ownership-scope.js';
import type { OwnershipKey } from '../../src/ownership/ownership-key.js';
import { conf, DAY_MS, fakeStore, key, KEY_TEXT, onlyFile, OTHER_ZONE, registryOver, SECRET, T0, ZONE } from './ownership-fixture.js';

const scope: OwnershipScope = `zones/${ZONE}`;

async function issue(destinationConf = conf(), signingKey = key(), issuedAt = T0): Promise<string> {
  const store = fakeStore();
  const result = await createOwnershipChallenge({ registry: registryOver(store), destinationConf, scope, key: signingKey, signal: new AbortController().signal, now: () => issuedAt });
  assert.equal(result.status, 'written');
  return onlyFile(store).token;
}

function verify(token: string, over: { destinationConf?: string; scope?: OwnershipScope; keys?: OwnershipKey[]; nowMs?: number } = {}) {
  return verifyOwnership({
    registry: registryOver(fakeStore()),
    destinationConf: over.destinationConf ?? conf(),
    scope: over.scope ?? scope,
    token,
    keys: over.keys ?? [key()],
    now: () => over.nowMs ?? T0 + 60_000,
  });
}

function codeOf(verdict: ReturnType<typeof verify>): string {
  return verdict.valid ? 'valid' : verdict.code;
}

test('a token is valid until just before its 7 days are up and expired from then on', async () => {
  const token = await issue();
  assert.equal(codeOf(verify(token, { nowMs: T0 + 7 * DAY_MS - 1 })), 'valid');
  const expired = verify(token, { nowMs: T0 + 7 * DAY_MS });
  assert.equal(codeOf(expired), 'OWNERSHIP_EXPIRED');
  assert.match(expired.valid ? '' : expired.message, /expired at 2026-02-07T12:00:00\.000Z/);
});

test('a token for a {DATE} folder still verifies on later days, because the folder is the one of the day it was issued', async () => {
  const token = await issue(conf('logs', 'http/{DATE}'));
  assert.equal(codeOf(verify(token, { destinationConf: conf('logs', 'http/{DATE}'), nowMs: T0 + 3 * DAY_MS })), 'valid');
});

test('a token issued for one zone is refused for another, naming both scopes', async () => {
  const verdict = verify(await issue(), { scope: `zones/${OTHER_ZONE}` });
  assert.equal(codeOf(verdict), 'OWNERSHIP_SCOPE_MISMATCH');
  assert.match(verdict.valid ? '' : verdict.message, new RegExp(`issued for zones/${ZONE}, not zones/${OTHER_ZONE}`));
  assert.equal(codeOf(verify(await issue(), { scope: `accounts/${ZONE}` })), 'OWNERSHIP_SCOPE_MISMATCH');
});

test('a token is refused for another bucket, another folder or the same bucket on another S3-compatible server', async () => {
  const token = await issue(conf('logs', 'http'));
  assert.equal(codeOf(verify(token, { destinationConf: conf('other-logs', 'http') })), 'OWNERSHIP_LOCATION_MISMATCH');
  assert.equal(codeOf(verify(token, { destinationConf: conf('logs', 'http/other') })), 'OWNERSHIP_LOCATION_MISMATCH');
  const elsewhere = conf('logs', 'http').replace('127.0.0.1:9000', 'storage.example.com');
  const verdict = verify(token, { destinationConf: elsewhere });
  assert.equal(codeOf(verdict), 'OWNERSHIP_LOCATION_MISMATCH');
  assert.match(verdict.valid ? '' : verdict.message, /another store, bucket or folder than s3:\/\/logs\/http/);
});

test('the same bucket and folder with an edited destination_conf is refused: the token is bound to the exact conf', async () => {
  const token = await issue(conf('logs', 'http'));
  const rotatedKey = conf('logs', 'http').replace(SECRET, 'a-new-secret-access-key-value');
  const withSse = conf('logs', 'http', '&sse=AES256');
  for (const destinationConf of [rotatedKey, withSse]) {
    const verdict = verify(token, { destinationConf });
    assert.equal(codeOf(verdict), 'OWNERSHIP_DESTINATION_MISMATCH', destinationConf);
    assert.match(verdict.valid ? '' : verdict.message, /exact destination_conf/);
  }
});

test('a token signed with the previous key verifies while that key is still accepted, and not after it is dropped', async () => {
  const previous = key('previous-signing-key-0123456789abcd');
  const token = await issue(conf(), previous);
  assert.equal(codeOf(verify(token, { keys: [key(), previous] })), 'valid');
  assert.equal(codeOf(verify(token, { keys: [key()] })), 'OWNERSHIP_TAMPERED');
});

test('a token for an HTTP destination cannot be verified, and a bad destination_conf is reported as such', async () => {
  const token = await issue();
  assert.equal(codeOf(verify(token, { destinationConf: 'https://logs.example.com/ingest' })), 'OWNERSHIP_NOT_SUPPORTED');
  assert.equal(codeOf(verify(token, { destinationConf: 'ftp://logs.example.com/' })), 'OWNERSHIP_INVALID_DESTINATION');
});

test('no refusal message quotes the destination secret, the signing key or the token', async () => {
  const token = await issue();
  const [version, payload = '', mac = ''] = token.split('.');
  const verdicts = [
    verify(token, { scope: `zones/${OTHER_ZONE}` }),
    verify(token, { destinationConf: conf('other-logs') }),
    verify(token, { destinationConf: conf().replace(SECRET, `${SECRET}2`) }),
    verify(token, { nowMs: T0 + 8 * DAY_MS }),
    verify(`${version}.${payload}x.${mac}`),
    verify(token, { keys: [key('yet-another-signing-key-0123456789')] }),
    verify(`${token} trailing`),
    verify(token, { destinationConf: `s3://logs/http?access-key-id=AKID&secret-access-key=${SECRET}` }),
  ];
  for (const verdict of verdicts) {
    assert.equal(verdict.valid, false);
    const text = inspect(verdict);
    for (const secret of [SECRET, KEY_TEXT, token, mac]) assert.ok(!text.includes(secret), `${text} quotes a secret`);
  }
});
