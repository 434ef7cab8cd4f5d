import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ownershipKeysFromEnv, parseOwnershipKey } from '../../src/ownership/ownership-key.js';

const LONG = 'a-signing-key-of-enough-bytes-0123456789';
const OLD = 'an-older-signing-key-still-accepted-0123';

test('a key shorter than 32 bytes is refused with its length and how to make one, without quoting it', () => {
  const result = parseOwnershipKey('short-but-secret', 'SLUICE_OWNERSHIP_KEY');
  assert.ok(!result.ok);
  assert.match(result.message, /^SLUICE_OWNERSHIP_KEY is 16 bytes; it must be at least 32: .*openssl rand/);
  assert.ok(!result.message.includes('short-but-secret'));
  assert.ok(parseOwnershipKey('x'.repeat(32)).ok);
});

test('a key counts UTF-8 bytes, not characters', () => {
  assert.ok(parseOwnershipKey('é'.repeat(16)).ok);
  assert.ok(!parseOwnershipKey('é'.repeat(15)).ok);
});

test('a key shows none of its bytes when logged or serialized', () => {
  const result = parseOwnershipKey(LONG);
  assert.ok(result.ok);
  assert.equal(result.key.bytes.toString(), LONG);
  assert.ok(!inspect(result.key).includes(LONG));
  assert.ok(!JSON.stringify({ key: result.key }).includes(LONG));
});

test('the environment gives the current key first, then each previous key', () => {
  const result = ownershipKeysFromEnv({ SLUICE_OWNERSHIP_KEY: LONG, SLUICE_OWNERSHIP_PREVIOUS_KEYS: `${OLD},` });
  assert.ok(result.ok);
  assert.equal(result.keyring.current.bytes.toString(), LONG);
  assert.deepEqual(result.keyring.accepted.map((k) => k.bytes.toString()), [LONG, OLD]);
});

test('a missing key says how to set one, and a short previous key is named by its position', () => {
  const missing = ownershipKeysFromEnv({});
  assert.ok(!missing.ok);
  assert.match(missing.message, /^SLUICE_OWNERSHIP_KEY is not set: .*export SLUICE_OWNERSHIP_KEY=/);
  const short = ownershipKeysFromEnv({ SLUICE_OWNERSHIP_KEY: LONG, SLUICE_OWNERSHIP_PREVIOUS_KEYS: `${OLD},tiny` });
  assert.ok(!short.ok);
  assert.match(short.message, /^SLUICE_OWNERSHIP_PREVIOUS_KEYS entry 2 is 4 bytes/);
});
