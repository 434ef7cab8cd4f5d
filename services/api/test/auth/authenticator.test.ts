import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createAuthenticator, hasAccess, sha256Hex } from '../../src/index.js';
import type { Principal } from '../../src/index.js';

const ZONE = '0123456789abcdef0123456789abcdef';

function principal(grants: Record<string, 'read' | 'write'>): Principal {
  return { name: 'p', grants: new Map(Object.entries(grants)) };
}

test('write includes read; a zone grant covers only that zone', () => {
  const p = principal({ [`zones/${ZONE}`]: 'write' });
  assert.equal(hasAccess(p, `zones/${ZONE}`, 'read'), true);
  assert.equal(hasAccess(p, `zones/${ZONE}`, 'write'), true);
  assert.equal(hasAccess(p, `zones/${'f'.repeat(32)}`, 'read'), false);
  assert.equal(hasAccess(p, `accounts/${ZONE}`, 'read'), false, 'a zone id is not an account id');
});

test('zones/* covers every zone, * covers everything, read grants never write', () => {
  assert.equal(hasAccess(principal({ 'zones/*': 'read' }), `zones/${ZONE}`, 'read'), true);
  assert.equal(hasAccess(principal({ 'zones/*': 'read' }), `zones/${ZONE}`, 'write'), false);
  assert.equal(hasAccess(principal({ 'zones/*': 'write' }), `accounts/${ZONE}`, 'read'), false);
  assert.equal(hasAccess(principal({ '*': 'write' }), `accounts/${ZONE}`, 'write'), true);
  assert.equal(hasAccess(principal({ [`zones/${ZONE}`]: 'read', 'zones/*': 'write' }), `zones/${ZONE}`, 'write'), true, 'the broadest grant that matches wins');
});

test('the development token gets write on everything and is kept only as a digest', () => {
  const auth = createAuthenticator({ devToken: 'dev-secret-value' });
  const result = auth.authenticate({ authorization: 'Bearer dev-secret-value' });
  assert.ok(result.ok);
  assert.equal(result.principal.name, 'SLUICE_API_TOKEN');
  assert.equal(hasAccess(result.principal, `accounts/${ZONE}`, 'write'), true);
  assert.ok(!inspect(auth, { depth: 10, showHidden: true }).includes('dev-secret-value'));
  assert.equal(auth.size, 1);
});

test('an empty development token configures nothing', () => {
  assert.equal(createAuthenticator({ devToken: '' }).size, 0);
  assert.deepEqual(createAuthenticator({}).authenticate({ authorization: 'Bearer ' }), { ok: false, reason: 'malformed_authorization' });
});

test('configured tokens match by digest and carry their scopes', () => {
  const auth = createAuthenticator({ config: { tokens: [{ name: 'ci', sha256: sha256Hex('ci-token'), scopes: { [`zones/${ZONE}`]: 'read' } }] } });
  const result = auth.authenticate({ authorization: 'Bearer ci-token' });
  assert.ok(result.ok);
  assert.equal(result.principal.name, 'token:ci');
  assert.deepEqual(auth.authenticate({ authorization: 'Bearer ci-token2' }), { ok: false, reason: 'unknown_token' });
});

test('Authorization wins over X-Auth headers when both are sent', () => {
  const auth = createAuthenticator({
    devToken: 'dev',
    config: { keys: [{ email: 'a@example.com', sha256: sha256Hex('k'), scopes: { '*': 'read' } }] },
  });
  const result = auth.authenticate({ authorization: 'Bearer dev', 'x-auth-email': 'a@example.com', 'x-auth-key': 'k' });
  assert.ok(result.ok);
  assert.equal(result.principal.name, 'SLUICE_API_TOKEN');
});

test('sha256Hex is the digest printf %s "$SECRET" | sha256sum prints', () => {
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('an unknown X-Auth-Email costs one constant-time comparison, as a wrong key does', () => {
  const compared: number[] = [];
  const auth = createAuthenticator({
    config: { keys: [{ email: 'ops@example.com', sha256: sha256Hex('the-key'), scopes: { '*': 'read' } }] },
    compareDigests: (a, b) => {
      compared.push(a.length + b.length);
      return a.equals(b);
    },
  });
  assert.deepEqual(auth.authenticate({ 'x-auth-email': 'ops@example.com', 'x-auth-key': 'wrong' }), { ok: false, reason: 'unknown_key' });
  assert.deepEqual(auth.authenticate({ 'x-auth-email': 'nobody@example.com', 'x-auth-key': 'wrong' }), { ok: false, reason: 'unknown_key' });
  assert.deepEqual(auth.authenticate({ 'x-auth-email': 'nobody@example.com', 'x-auth-key': 'the-key' }), { ok: false, reason: 'unknown_key' });
  assert.equal(auth.authenticate({ 'x-auth-email': 'OPS@example.com', 'x-auth-key': 'the-key' }).ok, true);
  assert.deepEqual(compared, [64, 64, 64, 64]);
});
