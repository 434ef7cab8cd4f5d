import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const ZONE = '0123456789abcdef0123456789abcdef';
const KEY = 'cli-test-signing-key-0123456789abcdef';
const S3_CONF = 's3://logs/http?region=us-east-1&access-key-id=AK&secret-access-key=do-not-print-me';

function sluice(args: string[], key: string | undefined = KEY): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_OWNERSHIP_KEY: key ?? '' };
  const run = spawnSync(process.execPath, [BIN, 'ownership', ...args], { encoding: 'utf8', env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('the scope must be exactly one of --zone or --account, with a 32-hex id, or the command exits 2', () => {
  for (const args of [[S3_CONF], [S3_CONF, '--zone', ZONE, '--account', ZONE], [S3_CONF, '--zone', 'acme']]) {
    const run = sluice(args);
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.stderr, /^sluice ownership: (give exactly one of --zone <id> or --account <id>|zone id "acme" is not a 32-character lowercase hex id)/);
  }
});

test('a short signing key exits 2 saying how long it must be, without printing it', () => {
  const run = sluice([S3_CONF, '--zone', ZONE], 'too-short-key');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /SLUICE_OWNERSHIP_KEY is 13 bytes; it must be at least 32/);
  assert.ok(!run.stderr.includes('too-short-key'));
});

test('an HTTP destination needs no challenge: exit 0, nothing on stdout', () => {
  const run = sluice(['https://logs.example.com/ingest', '--zone', ZONE]);
  assert.equal(run.status, 0);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /no ownership challenge needed: http destinations take no ownership challenge/);
});

test('verify refuses a malformed token with exit 1 and its code, and a missing --token with exit 2', () => {
  const malformed = sluice(['verify', S3_CONF, '--zone', ZONE, '--token', 'not-a-token']);
  assert.equal(malformed.status, 1);
  assert.match(malformed.stderr, /^ownership not valid: OWNERSHIP_MALFORMED: /);
  assert.ok(!malformed.stderr.includes('do-not-print-me'));
  const missing = sluice(['verify', S3_CONF, '--zone', ZONE]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--token <token\|@file> is required/);
});

test('verify takes --zone before or after the subcommand', () => {
  const after = sluice(['verify', S3_CONF, '--zone', ZONE, '--token', 'x']);
  const before = sluice(['--zone', ZONE, 'verify', S3_CONF, '--token', 'x']);
  assert.equal(after.status, 1);
  assert.equal(before.status, 1);
  assert.match(before.stderr, /OWNERSHIP_MALFORMED/);
});
