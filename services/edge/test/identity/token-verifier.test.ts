import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SignJWT, exportSPKI } from 'jose';
import { createTokenVerifier } from '../../src/identity/token-verifier.js';
import type { TokenVerifierOptions } from '../../src/identity/token-verifier.js';
import type { KeySource } from '../../src/identity/jwks-key-source.js';
import type { VerifyResult } from '../../src/identity/verified-identity.js';
import { AUDIENCE, ISSUER, NOW_MS, NOW_S, accessClaims, base64urlJson, signToken, staticKeys, testKey } from './test-tokens.js';
import type { TestKey } from './test-tokens.js';

let key: TestKey;
let stranger: TestKey;
before(async () => {
  [key, stranger] = await Promise.all([testKey('key-1'), testKey('key-2')]);
});

function verifier(overrides: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({ keys: staticKeys(key), issuer: ISSUER, now: () => NOW_MS, ...overrides });
}

function refused(result: VerifyResult): Extract<VerifyResult, { ok: false }> {
  assert.equal(result.ok, false, 'the token was accepted');
  return result;
}

describe('a valid token', () => {
  test('is accepted with every identity field read from its claims', async () => {
    const result = await verifier().verify(await signToken(key), AUDIENCE);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.identity, {
      email: 'alice@example.com',
      userId: '7335d417-61da-459d-899c-0a01c76a2f94',
      tokenId: 'a8f3c3a2-7d9f-4a43-9e0c-0d2c9c3f1b77',
      groups: ['sre', 'admins'],
      connection: 'okta',
      country: 'GB',
      expiresAtMs: (NOW_S + 3600) * 1000,
    });
  });

  test('without jti, sub, groups, idp or country gets a token hash for an id and empty values', async () => {
    const token = await signToken(key, accessClaims({ jti: undefined, sub: undefined, groups: undefined, idp: undefined, country: undefined }));
    const result = await verifier().verify(token, AUDIENCE);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.identity.tokenId, createHash('sha256').update(token).digest('hex').slice(0, 32));
    assert.deepEqual([result.identity.userId, result.identity.groups, result.identity.connection, result.identity.country], ['', [], '', '']);
  });

  test('reads groups and the connection from the configured claims, a single group as a list and a plain string connection', async () => {
    const token = await signToken(key, accessClaims({ roles: 'ops', via: 'github', groups: ['ignored'] }));
    const result = await verifier({ groupsClaim: 'roles', connectionClaim: 'via' }).verify(token, AUDIENCE);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.identity.groups, ['ops']);
    assert.equal(result.identity.connection, 'github');
  });

  test('is accepted when the audience is one of several in aud, or aud is a plain string', async () => {
    for (const aud of [['other-app', AUDIENCE], AUDIENCE]) {
      const result = await verifier().verify(await signToken(key, accessClaims({ aud })), AUDIENCE);
      assert.ok(result.ok, JSON.stringify(aud));
    }
  });
});

describe('algorithms', () => {
  test('an unsigned alg:none token is refused before any key lookup', async () => {
    const keys = staticKeys(key);
    const token = `${base64urlJson({ alg: 'none', kid: key.kid, typ: 'JWT' })}.${base64urlJson(accessClaims())}.`;
    const result = refused(await verifier({ keys }).verify(token, AUDIENCE));
    assert.equal(result.code, 'IDENTITY_ALG_REFUSED');
    assert.equal(result.status, 401);
    assert.equal(keys.lookups, 0);
  });

  test('an HS256 token keyed with the RSA public key (algorithm confusion) is refused', async () => {
    const keys = staticKeys(key);
    const publicKeyBytes = new TextEncoder().encode(await exportSPKI(key.publicKey));
    const token = await new SignJWT(accessClaims()).setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' }).sign(publicKeyBytes);
    const result = refused(await verifier({ keys }).verify(token, AUDIENCE));
    assert.equal(result.code, 'IDENTITY_ALG_REFUSED');
    assert.match(result.reason, /"HS256"/);
    assert.equal(keys.lookups, 0);
  });

  test('RS512 with the right key is refused too: only RS256 is accepted', async () => {
    const result = refused(await verifier().verify(await signToken(key, accessClaims(), 'RS512'), AUDIENCE));
    assert.equal(result.code, 'IDENTITY_ALG_REFUSED');
  });
});

describe('keys and signatures', () => {
  test('a kid that is not in the key set is refused as an unknown key', async () => {
    const result = refused(await verifier().verify(await signToken(stranger), AUDIENCE));
    assert.equal(result.code, 'IDENTITY_UNKNOWN_KEY');
    assert.equal(result.status, 401);
    assert.match(result.reason, /"key-2"/);
  });

  test('a token signed by another key under a trusted kid fails its signature', async () => {
    const impostor: TestKey = { ...stranger, kid: key.kid };
    const result = refused(await verifier().verify(await signToken(impostor), AUDIENCE));
    assert.equal(result.code, 'IDENTITY_BAD_SIGNATURE');
  });

  test('a payload changed after signing (another email, same signature) is refused', async () => {
    const [header, , signature] = (await signToken(key)).split('.');
    const forged = `${header}.${base64urlJson(accessClaims({ email: 'mallory@example.com' }))}.${signature}`;
    const result = refused(await verifier().verify(forged, AUDIENCE));
    assert.equal(result.code, 'IDENTITY_BAD_SIGNATURE');
    assert.equal(result.unverified.email, 'mallory@example.com', 'denied attempts are logged with who they claimed to be');
  });

  test('a header without kid is refused as malformed', async () => {
    const token = await new SignJWT(accessClaims()).setProtectedHeader({ alg: 'RS256' }).sign(key.privateKey);
    const result = refused(await verifier().verify(token, AUDIENCE));
    assert.equal(result.code, 'IDENTITY_TOKEN_MALFORMED');
    assert.match(result.reason, /kid/);
  });

  test('truncated tokens and garbage are refused as malformed', async () => {
    const token = await signToken(key);
    const samples = [token.slice(0, token.lastIndexOf('.')), token.slice(0, 30), 'not-a-jwt', 'a.b.c', '...', `${token}.extra`, `!!!.${token.split('.')[1]}.sig`];
    for (const sample of samples) {
      const result = refused(await verifier().verify(sample, AUDIENCE));
      assert.equal(result.code, 'IDENTITY_TOKEN_MALFORMED', sample.slice(0, 40));
    }
  });

  test('an empty token is reported as missing', async () => {
    const result = refused(await verifier().verify('', AUDIENCE));
    assert.equal(result.code, 'IDENTITY_TOKEN_MISSING');
    assert.equal(result.status, 401);
  });

  test('a key source that cannot produce keys gives 503, not a verdict on the token', async () => {
    const down: KeySource = { description: 'JWKS https://idp.invalid/certs', getKey: () => Promise.reject(new TypeError('fetch failed')) };
    const result = refused(await verifier({ keys: down }).verify(await signToken(key), AUDIENCE));
    assert.equal(result.code, 'IDENTITY_KEYS_UNAVAILABLE');
    assert.equal(result.status, 503);
    assert.match(result.reason, /idp\.invalid/);
  });
});

describe('claims', () => {
  test('a token for another application is 403 and names the audience asked for', async () => {
    const result = refused(await verifier().verify(await signToken(key, accessClaims({ aud: ['other-app'] })), AUDIENCE));
    assert.equal(result.code, 'IDENTITY_WRONG_AUDIENCE');
    assert.equal(result.status, 403);
    assert.ok(result.reason.includes(AUDIENCE));
  });

  test('another issuer, even one differing only by a trailing slash, is refused', async () => {
    for (const iss of ['https://evil.cloudflareaccess.com', `${ISSUER}/`]) {
      const result = refused(await verifier().verify(await signToken(key, accessClaims({ iss })), AUDIENCE));
      assert.equal(result.code, 'IDENTITY_WRONG_ISSUER', iss);
    }
  });

  test('a token expired beyond the leeway is refused, one expired within it accepted', async () => {
    const late = refused(await verifier({ leewaySeconds: 30 }).verify(await signToken(key, accessClaims({ exp: NOW_S - 45 })), AUDIENCE));
    assert.equal(late.code, 'IDENTITY_EXPIRED');
    assert.match(late.reason, /expired at 2026-03-01T11:59:15\.000Z/);
    const justLate = await verifier({ leewaySeconds: 30 }).verify(await signToken(key, accessClaims({ exp: NOW_S - 10 })), AUDIENCE);
    assert.ok(justLate.ok, JSON.stringify(justLate));
  });

  test('a token not valid for another two minutes is refused; one a few seconds early is accepted', async () => {
    const early = refused(await verifier().verify(await signToken(key, accessClaims({ nbf: NOW_S + 120 })), AUDIENCE));
    assert.equal(early.code, 'IDENTITY_NOT_YET_VALID');
    assert.ok((await verifier().verify(await signToken(key, accessClaims({ nbf: NOW_S + 10 })), AUDIENCE)).ok);
  });

  test('a token issued in the future beyond the leeway is refused', async () => {
    const result = refused(await verifier().verify(await signToken(key, accessClaims({ iat: NOW_S + 600, nbf: undefined })), AUDIENCE));
    assert.equal(result.code, 'IDENTITY_NOT_YET_VALID');
  });

  test('a token without exp, or without an email address, has invalid claims', async () => {
    for (const overrides of [{ exp: undefined }, { email: undefined }, { email: 'not an email' }, { email: 42 }]) {
      const result = refused(await verifier().verify(await signToken(key, accessClaims(overrides)), AUDIENCE));
      assert.equal(result.code, 'IDENTITY_CLAIMS_INVALID', JSON.stringify(overrides));
    }
  });
});

describe('the cache of verified tokens', () => {
  test('a second request with the same token does no key lookup, and a cached success ends at the token expiry plus leeway', async () => {
    let nowMs = NOW_MS;
    const keys = staticKeys(key);
    const check = verifier({ keys, leewaySeconds: 5, now: () => nowMs });
    const token = await signToken(key, accessClaims({ exp: NOW_S + 20 }));
    assert.ok((await check.verify(token, AUDIENCE)).ok);
    nowMs += 24_000;
    assert.ok((await check.verify(token, AUDIENCE)).ok);
    assert.equal(keys.lookups, 1);
    nowMs += 1000;
    const result = refused(await check.verify(token, AUDIENCE));
    assert.equal(result.code, 'IDENTITY_EXPIRED');
  });

  test('a cached success is checked again after a minute, so a key withdrawn from the source stops working', async () => {
    let nowMs = NOW_MS;
    let trusted = staticKeys(key);
    const keys: KeySource = { description: 'rotating', getKey: (header, token) => trusted.getKey(header, token) };
    const check = verifier({ keys, now: () => nowMs });
    const token = await signToken(key);
    assert.ok((await check.verify(token, AUDIENCE)).ok);
    trusted = staticKeys(stranger);
    nowMs += 59_000;
    assert.ok((await check.verify(token, AUDIENCE)).ok, 'still cached');
    nowMs += 1000;
    assert.equal(refused(await check.verify(token, AUDIENCE)).code, 'IDENTITY_UNKNOWN_KEY');
  });

  test('a success for one audience is not reused for another', async () => {
    const check = verifier();
    const token = await signToken(key);
    assert.ok((await check.verify(token, AUDIENCE)).ok);
    assert.equal(refused(await check.verify(token, 'other-app')).code, 'IDENTITY_WRONG_AUDIENCE');
    assert.ok((await check.verify(token, AUDIENCE)).ok);
  });

  test('failures are not cached: a token refused while keys were unavailable passes once they are back', async () => {
    let up = false;
    const trusted = staticKeys(key);
    const keys: KeySource = { description: 'flaky', getKey: (header, token) => (up ? trusted.getKey(header, token) : Promise.reject(new Error('ECONNREFUSED'))) };
    const check = verifier({ keys });
    const token = await signToken(key);
    assert.equal(refused(await check.verify(token, AUDIENCE)).code, 'IDENTITY_KEYS_UNAVAILABLE');
    up = true;
    assert.ok((await check.verify(token, AUDIENCE)).ok);
  });

  test('with cacheSize 0 every request verifies again', async () => {
    const keys = staticKeys(key);
    const check = verifier({ keys, cacheSize: 0 });
    const token = await signToken(key);
    await check.verify(token, AUDIENCE);
    await check.verify(token, AUDIENCE);
    assert.equal(keys.lookups, 2);
  });

  test('the least recently used token is evicted first when the cache is full', async () => {
    const keys = staticKeys(key);
    const check = verifier({ keys, cacheSize: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((jti) => signToken(key, accessClaims({ jti }))));
    for (const token of [a, b, a, c]) await check.verify(token, AUDIENCE);
    assert.equal(keys.lookups, 3);
    await check.verify(a, AUDIENCE);
    assert.equal(keys.lookups, 3, 'a was used recently and kept');
    await check.verify(b, AUDIENCE);
    assert.equal(keys.lookups, 4, 'b was evicted');
  });
});

test('no reason ever contains the token or any of its parts', async () => {
  const down: KeySource = { description: 'down', getKey: () => Promise.reject(new Error('unreachable')) };
  const good = await signToken(key);
  const [header, , signature] = good.split('.');
  const tokens = [
    good,
    await signToken(stranger),
    await signToken(key, accessClaims({ aud: ['x'] })),
    await signToken(key, accessClaims({ iss: 'https://other' })),
    await signToken(key, accessClaims({ exp: NOW_S - 3600 })),
    await signToken(key, accessClaims({ nbf: NOW_S + 3600 })),
    await signToken(key, accessClaims({ email: undefined })),
    await signToken(key, accessClaims(), 'RS384'),
    `${header}.${base64urlJson(accessClaims({ email: 'mallory@example.com' }))}.${signature}`,
    good.slice(0, -5),
  ];
  for (const token of tokens) {
    for (const result of [await verifier().verify(token, 'another-audience'), await verifier({ keys: down }).verify(token, AUDIENCE)]) {
      assert.equal(result.ok, false);
      if (result.ok) continue;
      assert.ok(result.reason.length > 0);
      for (const part of token.split('.')) {
        if (part.length >= 8) assert.ok(!result.reason.includes(part), `${result.code}: ${result.reason}`);
      }
    }
  }
});

test('claims read from a refused token are capped in length', async () => {
  const result = refused(await verifier().verify(await signToken(stranger, accessClaims({ email: `${'a'.repeat(5000)}@example.com` })), AUDIENCE));
  assert.equal(result.unverified.email?.length, 256);
  assert.equal(result.unverified.connection, 'okta');
  assert.equal(result.unverified.country, 'GB');
  assert.equal(result.unverified.tokenId, 'a8f3c3a2-7d9f-4a43-9e0c-0d2c9c3f1b77');
});
