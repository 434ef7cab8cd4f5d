import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DEV_ISSUER, defaultDevKeyFile, loadOrCreateDevSigningKey, subjectFor } from '../../src/dev-identity/dev-signing-key.js';
import { createJwksKeySource } from '../../src/identity/jwks-key-source.js';
import { createTokenVerifier } from '../../src/identity/token-verifier.js';

const root = mkdtempSync(join(tmpdir(), 'sluice-dev-key-'));
let dirs = 0;
function keyFile(): string {
  return join(root, `home-${++dirs}`, '.sluice', 'dev-signing-key.json');
}

test('the key is created on first use, readable by its owner only, and reused afterwards with the same kid', async () => {
  const file = keyFile();
  const created = await loadOrCreateDevSigningKey(file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(file, '..')).mode & 0o777, 0o700);
  const text = readFileSync(file, 'utf8');
  const again = await loadOrCreateDevSigningKey(file);
  assert.equal(again.kid, created.kid);
  assert.equal(readFileSync(file, 'utf8'), text, 'a second load does not rewrite the key');
  assert.match(created.kid, /^[A-Za-z0-9_-]{43}$/, 'an RFC 7638 SHA-256 thumbprint');
});

test('two processes creating the key at once end up with the same key', async () => {
  const file = keyFile();
  const keys = await Promise.all([loadOrCreateDevSigningKey(file), loadOrCreateDevSigningKey(file), loadOrCreateDevSigningKey(file)]);
  assert.deepEqual(new Set(keys.map((key) => key.kid)).size, 1);
  assert.equal((await loadOrCreateDevSigningKey(file)).kid, keys[0]?.kid);
});

test('the JWKS holds the public key only, with kid, alg and use', async () => {
  const key = await loadOrCreateDevSigningKey(keyFile());
  const { keys } = key.jwks();
  assert.equal(keys.length, 1);
  assert.deepEqual(Object.keys(keys[0] ?? {}).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
  assert.deepEqual([keys[0]?.kid, keys[0]?.alg, keys[0]?.use], [key.kid, 'RS256', 'sig']);
});

test('a minted token verifies through a JWKS file written from jwks(), with every identity field', async () => {
  const key = await loadOrCreateDevSigningKey(keyFile());
  const jwksFile = join(root, `jwks-${dirs}.json`);
  writeFileSync(jwksFile, JSON.stringify(key.jwks()));
  const nowMs = Date.UTC(2026, 2, 1, 12, 0, 0);
  const token = await key.mint({ email: 'alice@example.com', audience: 'app-aud', groups: ['sre'], country: 'GB', connection: 'github', ttlSeconds: 600, nowMs });
  const verifier = createTokenVerifier({ keys: await createJwksKeySource({ file: jwksFile }), issuer: DEV_ISSUER, now: () => nowMs + 1000 });
  const result = await verifier.verify(token, 'app-aud');
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual({ ...result.identity, tokenId: '' }, {
    email: 'alice@example.com',
    userId: subjectFor('alice@example.com'),
    tokenId: '',
    groups: ['sre'],
    connection: 'github',
    country: 'GB',
    expiresAtMs: nowMs + 600_000,
  });
  assert.equal((await verifier.verify(token, 'other-aud')).ok, false);
});

test('minted tokens look like Access tokens', async () => {
  const key = await loadOrCreateDevSigningKey(keyFile());
  const nowMs = Date.UTC(2026, 2, 1, 12, 0, 0);
  const token = await key.mint({ email: 'bob@example.com', audience: ['a', 'b'], nowMs });
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'RS256', kid: key.kid, typ: 'JWT' });
  const claims = decodeJwt(token);
  assert.deepEqual(claims.aud, ['a', 'b']);
  assert.equal(claims.iss, DEV_ISSUER);
  assert.equal(claims.iat, nowMs / 1000);
  assert.equal(claims.nbf, claims.iat);
  assert.equal(claims.exp, nowMs / 1000 + 3600);
  assert.equal(claims['type'], 'app');
  assert.deepEqual(claims['idp'], { id: 'sluice-dev', type: 'dev' });
  assert.match(String(claims.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(typeof claims['identity_nonce'], 'string');
  assert.equal(claims['country'], undefined);
  assert.equal(claims['groups'], undefined);
  const other = decodeJwt(await key.mint({ email: 'bob@example.com', audience: 'a', nowMs }));
  assert.notEqual(other.jti, claims.jti);
  assert.notEqual(other['identity_nonce'], claims['identity_nonce']);
});

test('the subject is a stable UUID-shaped id per email, whatever its case', () => {
  assert.match(subjectFor('alice@example.com'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(subjectFor('Alice@Example.com'), subjectFor('alice@example.com'));
  assert.notEqual(subjectFor('bob@example.com'), subjectFor('alice@example.com'));
});

test('a key file that is not a private RSA JWK is refused, naming the file', async () => {
  const file = join(root, 'broken.json');
  for (const content of ['{nope', JSON.stringify({ kty: 'RSA', n: 'x', e: 'AQAB' })]) {
    writeFileSync(file, content);
    await assert.rejects(loadOrCreateDevSigningKey(file), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'EDGE_DEV_KEY_INVALID');
      assert.ok(error.message.includes(file));
      return true;
    });
  }
});

test('the default key file is SLUICE_DEV_KEY_FILE, else under ~/.sluice', () => {
  assert.equal(defaultDevKeyFile({ SLUICE_DEV_KEY_FILE: '/tmp/k.json' }), '/tmp/k.json');
  assert.match(defaultDevKeyFile({}), /[/\\]\.sluice[/\\]dev-signing-key\.json$/);
});
