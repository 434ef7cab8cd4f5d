import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { DEV_ISSUER, createJwksKeySource, createTokenVerifier } from '@sluice/edge';
import { registerTokenCommand } from '../../src/commands/token-command.js';
import type { CommandIo } from '../../src/command-io.js';

/** The claims of a JWT, unverified (this package does not depend on jose). */
function decodeJwt(token: string): { exp?: number; iat?: number; iss?: string } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number; iat?: number; iss?: string };
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-token-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `sluice token <args>` in-process, on a program holding just this command (as cli-program builds it). */
async function sluiceToken(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const run: Run = { code: 0, stdout: '', stderr: '' };
  const io: CommandIo = {
    out: (text) => void (run.stdout += text),
    err: (text) => void (run.stderr += text),
    env,
    fetch: () => Promise.reject(new Error('no network in this test')),
    setExitCode: (code) => void (run.code = code),
  };
  const program = new Command('sluice').configureOutput({ writeOut: io.out, writeErr: io.err }).exitOverride();
  registerTokenCommand(program, io);
  try {
    await program.parseAsync(['token', ...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    run.code = error.exitCode;
  }
  return run;
}

test('a printed token verifies against the printed JWKS, with the groups and country asked for', async () => {
  const keyFile = join(dir, 'key.json');
  const minted = await sluiceToken(['--email', 'alice@example.com', '--aud', 'app-aud', '--groups', 'sre, admins', '--country', 'gb', '--ttl', '30m', '--key-file', keyFile]);
  assert.equal(minted.code, 0, minted.stderr);
  assert.match(minted.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  assert.match(minted.stderr, /created development signing key/);
  const printed = await sluiceToken(['--jwks', '--key-file', keyFile]);
  assert.equal(printed.code, 0, printed.stderr);
  assert.doesNotMatch(printed.stderr, /created/);
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, printed.stdout);

  const token = minted.stdout.trim();
  const verifier = createTokenVerifier({ keys: await createJwksKeySource({ file: jwksFile }), issuer: DEV_ISSUER });
  const result = await verifier.verify(token, 'app-aud');
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.identity.email, 'alice@example.com');
  assert.deepEqual(result.identity.groups, ['sre', 'admins']);
  assert.equal(result.identity.country, 'GB');
  const { exp, iat } = decodeJwt(token);
  assert.equal((exp ?? 0) - (iat ?? 0), 1800);
});

test('the JWKS printed never holds the private key', async () => {
  const keyFile = join(dir, 'private.json');
  const printed = await sluiceToken(['--jwks', '--key-file', keyFile]);
  const privateExponent = (JSON.parse(readFileSync(keyFile, 'utf8')) as { d: string }).d;
  assert.ok(!printed.stdout.includes(privateExponent));
  assert.ok(!printed.stdout.includes('"d"'));
  assert.deepEqual(Object.keys((JSON.parse(printed.stdout) as { keys: object[] }).keys[0] ?? {}).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
});

test('the key file comes from SLUICE_DEV_KEY_FILE when --key-file is not given', async () => {
  const keyFile = join(dir, 'from-env.json');
  const run = await sluiceToken(['--email', 'bob@example.com', '--aud', 'a', '--issuer', 'https://idp.example'], { SLUICE_DEV_KEY_FILE: keyFile });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(readFileSync(keyFile, 'utf8').includes('"d"'));
  assert.equal(decodeJwt(run.stdout.trim()).iss, 'https://idp.example');
});

test('--ttl takes 90s, 30m, 1h, 2d and plain seconds', async () => {
  const keyFile = join(dir, 'ttl.json');
  for (const [ttl, seconds] of [['90s', 90], ['30m', 1800], ['1h', 3600], ['2d', 172_800], ['45', 45]] as const) {
    const run = await sluiceToken(['--email', 'a@example.com', '--aud', 'x', '--ttl', ttl, '--key-file', keyFile]);
    const { exp, iat } = decodeJwt(run.stdout.trim());
    assert.equal((exp ?? 0) - (iat ?? 0), seconds, ttl);
  }
});

test('a bad --ttl is a usage error naming the flag and the value', async () => {
  for (const ttl of ['soon', '1w', '0', '-5m', '1.5h']) {
    const run = await sluiceToken(['--email', 'a@example.com', '--aud', 'x', '--ttl', ttl, '--key-file', join(dir, 'unused.json')]);
    assert.equal(run.code, 2, ttl);
    assert.match(run.stderr, new RegExp(`--ttl must be a duration such as 90s, 30m, 1h, 2d or a number of seconds, got "${ttl.replace('.', '\\.')}"`));
    assert.equal(run.stdout, '');
  }
});

test('a missing --email or --aud is a usage error naming what is missing', async () => {
  const keyFile = join(dir, 'missing.json');
  const neither = await sluiceToken(['--key-file', keyFile]);
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /^sluice token: missing --email <address> and --aud <tag> \(or --jwks/);
  const noAud = await sluiceToken(['--email', 'a@example.com', '--key-file', keyFile]);
  assert.equal(noAud.code, 2);
  assert.match(noAud.stderr, /missing --aud <tag> \(/);
  const badEmail = await sluiceToken(['--email', 'alice', '--aud', 'x', '--key-file', keyFile]);
  assert.equal(badEmail.code, 2);
  assert.match(badEmail.stderr, /--email must be an email address, got "alice"/);
  assert.equal(neither.stdout + noAud.stdout + badEmail.stdout, '');
});

test('an unreadable key file fails with exit 1 and names it', async () => {
  const keyFile = join(dir, 'garbage.json');
  writeFileSync(keyFile, 'not json');
  const run = await sluiceToken(['--jwks', '--key-file', keyFile]);
  assert.equal(run.code, 1);
  assert.ok(run.stderr.includes(keyFile));
});
