import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { createJwksKeySource } from '../../src/identity/jwks-key-source.js';
import { createTokenVerifier } from '../../src/identity/token-verifier.js';
import type { KeySource } from '../../src/identity/jwks-key-source.js';
import { AUDIENCE, ISSUER, NOW_MS, jwksOf, signToken, testKey } from './test-tokens.js';
import type { TestKey } from './test-tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-jwks-'));
let files = 0;
function jwksFile(document: unknown): string {
  const file = join(dir, `jwks-${++files}.json`);
  writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));
  return file;
}

let first: TestKey;
let second: TestKey;
before(async () => {
  [first, second] = await Promise.all([testKey('first'), testKey('second')]);
});

/** Verifies `token` for AUDIENCE at the given clock, returning the code ('ok' when accepted). */
async function codeOf(keys: KeySource, token: string, nowMs: number = NOW_MS): Promise<string> {
  const result = await createTokenVerifier({ keys, issuer: ISSUER, now: () => nowMs }).verify(token, AUDIENCE);
  return result.ok ? 'ok' : result.code;
}

describe('a JWKS file', () => {
  test('verifies tokens signed by its keys and skips keys that are not RSA', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const ec = await exportJWK(publicKey);
    const keys = await createJwksKeySource({ file: jwksFile({ keys: [ec, first.jwk] }) }, { now: () => NOW_MS });
    assert.equal(await codeOf(keys, await signToken(first), NOW_MS), 'ok');
    assert.match(keys.description, /jwks-\d+\.json/);
  });

  test('is re-read on an unknown kid once the cooldown has passed, so rotation is a rewrite of the file', async () => {
    const file = jwksFile(jwksOf(first));
    let nowMs = NOW_MS;
    const keys = await createJwksKeySource({ file }, { cooldownMs: 30_000, now: () => nowMs });
    const rotated = await signToken(second);
    writeFileSync(file, JSON.stringify(jwksOf(second)));
    nowMs += 10_000;
    assert.equal(await codeOf(keys, rotated, nowMs), 'IDENTITY_UNKNOWN_KEY', 'within the cooldown the file is not read again');
    nowMs += 21_000;
    assert.equal(await codeOf(keys, rotated, nowMs), 'ok');
  });

  test('is re-read after a minute even without an unknown kid, so a withdrawn key stops verifying', async () => {
    const file = jwksFile(jwksOf(first, second));
    let nowMs = NOW_MS;
    const keys = await createJwksKeySource({ file }, { now: () => nowMs });
    const token = await signToken(first);
    assert.equal(await codeOf(keys, token, nowMs), 'ok');
    writeFileSync(file, JSON.stringify(jwksOf(second)));
    nowMs += 60_000;
    assert.equal(await codeOf(keys, token, nowMs), 'IDENTITY_UNKNOWN_KEY');
  });

  test('keeps its last good keys when a re-read finds the file broken', async () => {
    const file = jwksFile(jwksOf(first));
    let nowMs = NOW_MS;
    const keys = await createJwksKeySource({ file }, { now: () => nowMs });
    writeFileSync(file, '{"keys": [');
    nowMs += 120_000;
    assert.equal(await codeOf(keys, await signToken(first), nowMs), 'ok');
  });

  test('that is missing, not JSON, has no keys array, a key without kid, a private key or only small keys is refused at creation, naming the file', async () => {
    const { kid: _kid, ...withoutKid } = first.jwk;
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), kid: 'leaked' };
    const small = await generateKeyPair('RS256', { modulusLength: 1024 }).catch(() => undefined);
    const cases: [string, RegExp][] = [
      [join(dir, 'absent.json'), /cannot be read \(ENOENT\)/],
      [jwksFile('{not json'), /is not JSON/],
      [jwksFile({ jwks: [] }), /has no "keys" array/],
      [jwksFile({ keys: [withoutKid] }), /keys\[0\] has no "kid"/],
      [jwksFile({ keys: [first.jwk, first.jwk] }), /kid "first" appears more than once/],
      [jwksFile({ keys: [privateJwk] }), /key "leaked" holds private key parameters/],
      [jwksFile({ keys: [] }), /holds no RSA signing keys/],
    ];
    if (small !== undefined) cases.push([jwksFile({ keys: [{ ...(await exportJWK(small.publicKey)), kid: 'small' }] }), /key "small" is 1024 bits/]);
    for (const [file, message] of cases) {
      await assert.rejects(createJwksKeySource({ file }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'EDGE_JWKS_INVALID');
        assert.ok(error.message.includes(file), error.message);
        assert.match(error.message, message);
        return true;
      });
    }
  });
});

describe('a JWKS URL', () => {
  let server: Server;
  let url: string;
  let served: unknown;
  let fetches = 0;

  before(async () => {
    server = createServer((_request, response) => {
      fetches++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cdn-cgi/access/certs`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('verifies tokens, and picks up a key the server starts serving when a token names it', async () => {
    served = jwksOf(first);
    const keys = await createJwksKeySource({ url }, { cooldownMs: 0 });
    assert.equal(await codeOf(keys, await signToken(first)), 'ok');
    served = jwksOf(first, second);
    assert.equal(await codeOf(keys, await signToken(second)), 'ok');
  });

  test('does not fetch again for every unknown kid within the cooldown', async () => {
    served = jwksOf(first);
    const keys = await createJwksKeySource({ url }, { cooldownMs: 60_000 });
    assert.equal(await codeOf(keys, await signToken(first)), 'ok');
    const before = fetches;
    for (let i = 0; i < 5; i++) assert.equal(await codeOf(keys, await signToken(second)), 'IDENTITY_UNKNOWN_KEY');
    assert.equal(fetches, before);
  });

  test('that does not answer gives 503 keys-unavailable, and the source is created all the same', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const keys = await createJwksKeySource({ url: `http://127.0.0.1:${port}/certs` }, { timeoutMs: 1000 });
    const result = await createTokenVerifier({ keys, issuer: ISSUER, now: () => NOW_MS }).verify(await signToken(first), AUDIENCE);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.code, 'IDENTITY_KEYS_UNAVAILABLE');
    assert.equal(result.status, 503);
    assert.ok(result.reason.includes(`127.0.0.1:${port}`), result.reason);
  });

  test('that answers with an error status gives 503 keys-unavailable', async () => {
    served = undefined;
    const failing = createServer((_request, response) => {
      response.statusCode = 500;
      response.end();
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const keys = await createJwksKeySource({ url: `http://127.0.0.1:${(failing.address() as AddressInfo).port}/certs` });
      assert.equal(await codeOf(keys, await signToken(first)), 'IDENTITY_KEYS_UNAVAILABLE');
    } finally {
      failing.closeAllConnections();
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  test('that is not an http(s) URL is refused at creation', async () => {
    for (const bad of ['not a url', 'file:///etc/jwks.json']) {
      await assert.rejects(createJwksKeySource({ url: bad }), { code: 'EDGE_JWKS_INVALID' });
    }
  });
});
