import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openOwnershipToken, signOwnershipToken } from '../../src/ownership/ownership-token.js';
import type { OwnershipClaims } from '../../src/ownership/ownership-token.js';
import { key } from './ownership-fixture.js';

const claims: OwnershipClaims = { scope: 'zones/0123456789abcdef0123456789abcdef', dest: 'd'.repeat(43), loc: 'l'.repeat(43), iat: 1_769_860_800, exp: 1_770_465_600, id: '1a2b3c4d' };
const current = key('current-signing-key-0123456789abcdef');
const retired = key('retired-signing-key-0123456789abcdef');

function codeOf(token: string, keys = [current]): string {
  const opened = openOwnershipToken(token, keys);
  return opened.valid ? 'valid' : opened.code;
}

test('a signed token reads back as the same claims under the key that signed it, in the v1.<payload>.<mac> shape', () => {
  const token = signOwnershipToken(claims, current);
  assert.match(token, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  const opened = openOwnershipToken(token, [current]);
  assert.ok(opened.valid);
  assert.deepEqual(opened.claims, claims);
  assert.equal(opened.key, current);
});

test('a token whose payload was edited, even to another valid payload, is refused as tampered', () => {
  const token = signOwnershipToken(claims, current);
  const [version, , mac] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'zones/fedcba9876543210fedcba9876543210' })).toString('base64url');
  assert.equal(codeOf(`${version}.${forged}.${mac}`), 'OWNERSHIP_TAMPERED');
});

test('a token whose signature was changed is refused as tampered', () => {
  const token = signOwnershipToken(claims, current);
  const mac = token.slice(token.lastIndexOf('.') + 1);
  const flipped = Buffer.from(mac, 'base64url');
  flipped[0] = (flipped[0] ?? 0) ^ 1;
  assert.equal(codeOf(`${token.slice(0, token.lastIndexOf('.') + 1)}${flipped.toString('base64url')}`), 'OWNERSHIP_TAMPERED');
});

test('a token signed with a key the server does not hold is refused as tampered', () => {
  assert.equal(codeOf(signOwnershipToken(claims, retired)), 'OWNERSHIP_TAMPERED');
});

test('during a rotation a token signed with the previous key still opens, and reports which key signed it', () => {
  const opened = openOwnershipToken(signOwnershipToken(claims, retired), [current, retired]);
  assert.ok(opened.valid);
  assert.equal(opened.key, retired);
});

test('things that are not tokens are refused as malformed with a message saying what a token looks like', () => {
  const token = signOwnershipToken(claims, current);
  const cases: Record<string, string> = {
    empty: '',
    'no prefix': token.slice(3),
    'another version': `v2.${token.slice(3)}`,
    'two parts': token.slice(0, token.lastIndexOf('.')),
    'four parts': `${token}.extra`,
    'padding or other characters': `${token}=`,
    'whitespace inside': token.replace('.', '. '),
    'signature cut short': token.slice(0, -2),
    'too long': `v1.${'a'.repeat(4100)}.${token.slice(token.lastIndexOf('.') + 1)}`,
  };
  for (const [name, text] of Object.entries(cases)) {
    const opened = openOwnershipToken(text, [current]);
    assert.ok(!opened.valid, name);
    assert.equal(opened.code, 'OWNERSHIP_MALFORMED', name);
    assert.ok(opened.message.length > 20, name);
  }
  const version = openOwnershipToken(cases['another version'] ?? '', [current]);
  assert.match(version.valid ? '' : version.message, /version "v2"; this Sluice reads v1/);
});

test('a correctly signed payload that is not the claims Sluice writes is refused as malformed, not accepted', () => {
  assert.equal(codeOf(signOwnershipToken({ ...claims, id: 'not-hex' }, current)), 'OWNERSHIP_MALFORMED');
  assert.equal(codeOf(signOwnershipToken({ ...claims, iat: 1.5 }, current)), 'OWNERSHIP_MALFORMED');
});

test('opening a token with no keys at all is a programmer error', () => {
  assert.throws(() => openOwnershipToken('v1.a.b', []), /at least one key/);
});
