import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_TOKEN, OTHER_ZONE, ZONE, sluice, startApi, startReceiver } from './support/cli-against-api.js';
import type { ApiUnderTest, CliRun, Receiver } from './support/cli-against-api.js';

const SECRET = 'do-not-print-me';

let api: ApiUnderTest;
let keyless: ApiUnderTest;
let accepting: Receiver;
let refusing: Receiver;

before(async () => {
  [api, keyless, accepting, refusing] = await Promise.all([startApi(), startApi({ withoutOwnershipKeys: true }), startReceiver(200), startReceiver(403)]);
});
after(async () => {
  await Promise.all([api.close(), keyless.close(), accepting.close(), refusing.close()]);
});

/** `sluice <args>` with the API under test in --api-url and the token in the environment; no SLUICE_OWNERSHIP_KEY here. */
function viaApi(args: string[], target: ApiUnderTest = api): Promise<CliRun> {
  return sluice([...args, '--api-url', target.url], { SLUICE_API_TOKEN: DEV_TOKEN });
}

function s3Conf(receiver: Receiver): string {
  return `s3://logs/audit/{DATE}?region=us-east-1&endpoint=${receiver.url}&access-key-id=AK&secret-access-key=${SECRET}`;
}

function assertNoSecrets(run: CliRun): void {
  const output = `${run.stdout}${run.stderr}`;
  assert.ok(!output.includes(DEV_TOKEN), output);
  assert.ok(!output.includes(SECRET), output);
}

describe('sluice ownership --api', () => {
  test('the API writes the challenge: its key on stdout, the token nowhere, exit 0', async () => {
    const run = await viaApi(['ownership', s3Conf(accepting), '--zone', ZONE]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^audit\/\d{8}\/ownership-challenge-[0-9a-f]{8}\.txt\n$/);
    assert.match(run.stderr, /^ownership challenge written to s3:\/\/logs\/audit\/\d{8}\/ownership-challenge-[0-9a-f]{8}\.txt/);
    assert.ok(accepting.requests.some((request) => request.startsWith('PUT /logs/audit/')), accepting.requests.join(', '));
    assertNoSecrets(run);
  });

  test('an HTTP destination needs no challenge: exit 0 and nothing on stdout, as in local mode', async () => {
    const run = await viaApi(['ownership', 'https://logs.example.com/ingest', '--zone', ZONE]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^no ownership challenge needed: http destinations take no ownership challenge/);
  });

  test('a destination that refuses the file is exit 1 with the API\'s code; an unusable URI is exit 2', async () => {
    const refused = await viaApi(['ownership', s3Conf(refusing), '--zone', ZONE]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /^1009: destination_conf: the destination refused the challenge file/m);
    assertNoSecrets(refused);
    const unusable = await viaApi(['ownership', 's3://logs/audit', '--zone', ZONE]);
    assert.equal(unusable.code, 2, unusable.stderr);
    assert.match(unusable.stderr, /^1001: destination_conf: .*region/m);
  });

  test('a server without a signing key answers 1006: exit 1', async () => {
    const run = await viaApi(['ownership', s3Conf(accepting), '--zone', ZONE], keyless);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^1006: /m);
  });

  test('verify --api accepts the token the API wrote, and refuses it for another zone or malformed, with the local wording', async () => {
    const written = await viaApi(['ownership', s3Conf(accepting), '--zone', ZONE]);
    assert.equal(written.code, 0, written.stderr);
    const token = accepting.bodies.get(`/logs/${written.stdout.trim()}`);
    assert.match(token ?? '', /^v1\./);
    const tokenFile = join(mkdtempSync(join(tmpdir(), 'sluice-verify-')), 'token.txt');
    writeFileSync(tokenFile, `${token}\n`);

    const valid = await viaApi(['ownership', 'verify', s3Conf(accepting), '--zone', ZONE, '--token', `@${tokenFile}`]);
    assert.equal(valid.code, 0, valid.stderr);
    assert.match(valid.stderr, new RegExp(`^ownership valid for zones/${ZONE} \\(checked by http://127\\.0\\.0\\.1:\\d+/client/v4\\)`));
    const otherZone = await viaApi(['ownership', 'verify', s3Conf(accepting), '--zone', OTHER_ZONE, '--token', `@${tokenFile}`]);
    assert.equal(otherZone.code, 1, otherZone.stderr);
    assert.match(otherZone.stderr, /^ownership not valid: OWNERSHIP_SCOPE_MISMATCH: /);
    const malformed = await viaApi(['ownership', 'verify', s3Conf(accepting), '--zone', ZONE, '--token', 'not-a-token']);
    assert.equal(malformed.code, 1, malformed.stderr);
    assert.match(malformed.stderr, /^ownership not valid: OWNERSHIP_MALFORMED: /);
    for (const run of [valid, otherZone, malformed]) {
      assertNoSecrets(run);
      assert.ok(!run.stderr.includes(token ?? '-'), 'the ownership token is not printed');
    }
    const missing = await viaApi(['ownership', 'verify', s3Conf(accepting), '--zone', ZONE]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--token <token\|@file> is required/);
  });

  test('the scope is still exactly one of --zone or --account: exit 2', async () => {
    const run = await viaApi(['ownership', s3Conf(accepting)]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^sluice ownership: give exactly one of --zone <id> or --account <id>/);
    const other = await viaApi(['ownership', 'verify', s3Conf(accepting), '--zone', OTHER_ZONE, '--account', ZONE, '--token', 'x']);
    assert.equal(other.code, 2);
  });
});

describe('sluice destination validate --api', () => {
  test('a destination that takes the test object is exit 0; the API wrote it', async () => {
    const before = accepting.requests.length;
    const run = await viaApi(['destination', 'validate', `${accepting.url}/ingest`, '--zone', ZONE]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^destination valid: the API at http:\/\/127\.0\.0\.1:\d+\/client\/v4 wrote its test object/);
    assert.deepEqual(accepting.requests.slice(before), ['POST /ingest']);
  });

  test('a destination that refuses is exit 1, an unusable URI exit 2, as in local mode', async () => {
    const refused = await viaApi(['destination', 'validate', `${refusing.url}/ingest?header_Authorization=${SECRET}`, '--zone', ZONE]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stderr, 'destination not valid: the destination refused the test object [HTTP_403]\n');
    assertNoSecrets(refused);
    const unusable = await viaApi(['destination', 'validate', 's3://logs/audit', '--zone', ZONE]);
    assert.equal(unusable.code, 2, unusable.stderr);
    assert.match(unusable.stderr, /^destination not valid: invalid destination_conf: .*region/);
  });

  test('--api needs --zone or --account: exit 2 without calling anything', async () => {
    const run = await viaApi(['destination', 'validate', `${accepting.url}/ingest`]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^sluice destination validate: give exactly one of --zone <id> or --account <id>/);
  });
});
