import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthConfig, sha256Hex } from '../../src/index.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const DIGEST = sha256Hex('token');

test('tokens and keys with digests and scopes are accepted', () => {
  const result = parseAuthConfig({
    tokens: [{ name: 'ci', sha256: DIGEST, scopes: { [`zones/${ZONE}`]: 'write', 'accounts/*': 'read', '*': 'read' } }],
    keys: [{ email: 'ops@example.com', sha256: sha256Hex('key'), scopes: { 'zones/*': 'write' } }],
  });
  assert.ok(result.ok);
});

test('a plain secret instead of a digest is refused saying how to make one', () => {
  const result = parseAuthConfig({ tokens: [{ name: 'ci', sha256: 'my-plain-token', scopes: {} }] });
  assert.ok(!result.ok);
  assert.equal(result.issues[0]?.path, '/tokens/0/sha256');
  assert.match(result.issues[0]?.message ?? '', /expected the SHA-256 of the secret as 64 lowercase hex digits \(printf %s "\$SECRET" \| sha256sum\)/);
});

test('scopes must be zones/<id>, accounts/<id>, a kind with * or *, with read or write', () => {
  const badScope = parseAuthConfig({ tokens: [{ name: 'ci', sha256: DIGEST, scopes: { 'zone/abc': 'write' } }] });
  assert.ok(!badScope.ok);
  assert.match(badScope.issues[0]?.message ?? '', /"zone\/abc" is not allowed here; expected \{"zones\/<32-hex id>"/);
  const badAccess = parseAuthConfig({ tokens: [{ name: 'ci', sha256: DIGEST, scopes: { '*': 'admin' } }] });
  assert.ok(!badAccess.ok);
  assert.equal(badAccess.issues[0]?.path, '/tokens/0/scopes/*');
});

test('duplicate token names or digests are refused', () => {
  const result = parseAuthConfig({
    tokens: [
      { name: 'ci', sha256: DIGEST, scopes: {} },
      { name: 'ci', sha256: DIGEST, scopes: {} },
    ],
  });
  assert.ok(!result.ok);
  assert.deepEqual(result.issues.map((i) => i.path), ['/tokens/1/name', '/tokens/1/sha256']);
});

test('unknown keys are named, and the file must be an object', () => {
  const typo = parseAuthConfig({ token: [] });
  assert.ok(!typo.ok);
  assert.match(typo.issues[0]?.message ?? '', /"token" is not allowed here \(did you mean "tokens"\?\)/);
  assert.ok(!parseAuthConfig([]).ok);
});
