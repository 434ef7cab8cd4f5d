import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkJobOwnership } from '../../src/ownership/job-ownership.js';
import { createOwnershipChallenge } from '../../src/ownership/create-ownership-challenge.js';
import { conf, fakeStore, key, onlyFile, OTHER_ZONE, registryOver, T0, ZONE } from './ownership-fixture.js';

const KEYLESS = 's3://logs/http?region=us-east-1';

function check(destinationConf: string, ownershipChallenge: string | undefined, scope: `zones/${string}` = `zones/${ZONE}`) {
  return checkJobOwnership({ registry: registryOver(fakeStore()), destinationConf, scope, ownershipChallenge, keys: [key()], now: () => T0 + 1000 });
}

async function tokenFor(destinationConf: string): Promise<string> {
  const store = fakeStore();
  await createOwnershipChallenge({ registry: registryOver(store), destinationConf, scope: `zones/${ZONE}`, key: key(), signal: new AbortController().signal, now: () => T0 });
  return onlyFile(store).token;
}

test('S3 without keys needs a token: none is refused as required, a valid one is verified', async () => {
  const missing = check(KEYLESS, undefined);
  assert.equal(missing.valid ? 'valid' : missing.code, 'OWNERSHIP_REQUIRED');
  assert.match(missing.valid ? '' : missing.message, new RegExp(`POST /zones/${ZONE}/logpush/ownership`));
  assert.equal(check(KEYLESS, '').valid, false);
  assert.deepEqual(check(KEYLESS, await tokenFor(KEYLESS)), { valid: true, proof: 'verified' });
});

test('S3 with keys needs no token, but a token that is sent must be valid', async () => {
  assert.deepEqual(check(conf(), undefined), { valid: true, proof: 'not_required' });
  assert.deepEqual(check(conf(), await tokenFor(conf())), { valid: true, proof: 'verified' });
  const wrongZone = check(conf(), await tokenFor(conf()), `zones/${OTHER_ZONE}`);
  assert.equal(wrongZone.valid ? 'valid' : wrongZone.code, 'OWNERSHIP_SCOPE_MISMATCH');
});

test('a token made for one destination does not carry over when the job moves to another', async () => {
  const moved = check(KEYLESS.replace('logs', 'other-logs'), await tokenFor(KEYLESS));
  assert.equal(moved.valid ? 'valid' : moved.code, 'OWNERSHIP_LOCATION_MISMATCH');
});

test('HTTP destinations need nothing, and a token sent with them is ignored', () => {
  assert.deepEqual(check('https://logs.example.com/ingest', undefined), { valid: true, proof: 'not_required' });
  assert.deepEqual(check('https://logs.example.com/ingest', 'v1.junk.junk'), { valid: true, proof: 'not_required' });
});
