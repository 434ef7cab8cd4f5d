import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobView } from '../../src/index.js';
import { ACCOUNT, OTHER_ZONE, T0, accountPath, failureOf, httpJob, testApi, zonePath } from '../support/api-fixture.js';
import type { TestApi } from '../support/api-fixture.js';

/** S3 without keys: Sluice writes with its own credentials, so Logpush requires the challenge. */
const S3 = 's3://logs/http/{DATE}?region=us-east-1';
const S3_OTHER = 's3://logs/audit?region=us-east-1';
const S3_WITH_KEYS = 's3://logs/http?region=us-east-1&access-key-id=AKID&secret-access-key=do-not-echo-me';

interface Challenge {
  filename: string;
  message: string;
  valid: boolean;
}

async function tokenFor(api: TestApi, destinationConf: string, path = zonePath('/logpush/ownership')): Promise<string> {
  const reply = await api.call<Challenge>('POST', path, { body: { destination_conf: destinationConf } });
  assert.equal(reply.status, 200, reply.text);
  const token = api.destinations.files.get(`logs/${reply.body.result.filename}`);
  assert.ok(token, `no challenge file at logs/${reply.body.result.filename}`);
  return token;
}

describe('POST /{scope}/logpush/ownership', () => {
  test('writes the challenge file into the destination and answers {filename, message, valid} without the token', async () => {
    const api = testApi();
    const reply = await api.call<Challenge>('POST', zonePath('/logpush/ownership'), { body: { destination_conf: S3 } });
    assert.equal(reply.status, 200);
    assert.match(reply.body.result.filename, /^http\/20260131\/ownership-challenge-[0-9a-f]{8}\.txt$/);
    assert.equal(reply.body.result.valid, true);
    assert.match(reply.body.result.message, /ownership_challenge/);
    const token = api.destinations.files.get(`logs/${reply.body.result.filename}`) ?? '';
    assert.match(token, /^v1\./);
    assert.ok(!reply.text.includes(token));
  });

  test('a destination that takes no challenge, or cannot be read, is refused naming destination_conf', async () => {
    const api = testApi();
    const http = await api.call('POST', zonePath('/logpush/ownership'), { body: { destination_conf: 'https://logs.example.com/in' } });
    assert.equal(http.status, 400);
    assert.match(failureOf(http)[0]?.message ?? '', /^destination_conf: http destinations take no ownership challenge/);
    const bad = await api.call('POST', zonePath('/logpush/ownership'), { body: { destination_conf: 's3://x' } });
    assert.equal(failureOf(bad)[0]?.source?.pointer, '/destination_conf');
    const missing = await api.call('POST', zonePath('/logpush/ownership'), { body: {} });
    assert.match(failureOf(missing)[0]?.message ?? '', /^destination_conf: is required/);
  });

  test('a write the destination refuses is 1009, one that may pass later is 1010 (502); neither repeats what the store said', async () => {
    const api = testApi();
    api.destinations.failWith = { status: 'rejected', code: 'S3_ACCESS_DENIED', message: 'Access Denied <Owner>internal-admin</Owner>' };
    const refused = await api.call('POST', zonePath('/logpush/ownership'), { body: { destination_conf: S3 } });
    assert.equal(refused.status, 400);
    assert.equal(failureOf(refused)[0]?.code, 1009);
    assert.equal(failureOf(refused)[0]?.message, 'destination_conf: the destination refused the challenge file [S3_ACCESS_DENIED]');
    assert.ok(!refused.text.includes('internal-admin'));
    api.destinations.failWith = { status: 'retryable', code: 'S3_SLOW_DOWN', message: 'Slow Down' };
    const later = await api.call('POST', zonePath('/logpush/ownership'), { body: { destination_conf: S3 } });
    assert.equal(later.status, 502);
    assert.equal(failureOf(later)[0]?.code, 1010);
  });

  test('without a signing key the ownership routes answer 1006 (501)', async () => {
    const api = testApi({ withoutOwnershipKeys: true });
    const bodies = { '/logpush/ownership': { destination_conf: S3 }, '/logpush/ownership/validate': { destination_conf: S3, ownership_challenge: 'v1.a.b' } };
    for (const [path, body] of Object.entries(bodies)) {
      const reply = await api.call('POST', zonePath(path), { body });
      assert.equal(reply.status, 501, path);
      assert.equal(failureOf(reply)[0]?.code, 1006);
    }
  });
});

describe('POST /{scope}/logpush/ownership/validate', () => {
  test('a token is valid for its scope and exact destination, and not for others', async () => {
    const api = testApi();
    const token = await tokenFor(api, S3);
    const check = (destination_conf: string, path = zonePath('/logpush/ownership/validate')) =>
      api.call<{ valid: boolean; message?: string }>('POST', path, { body: { destination_conf, ownership_challenge: token } });
    assert.deepEqual((await check(S3)).body.result, { valid: true });
    const otherZone = await check(S3, zonePath('/logpush/ownership/validate', OTHER_ZONE));
    assert.equal(otherZone.body.result.valid, false);
    assert.match(otherZone.body.result.message ?? '', /\[OWNERSHIP_SCOPE_MISMATCH\]$/);
    assert.match((await check(S3_OTHER)).body.result.message ?? '', /\[OWNERSHIP_LOCATION_MISMATCH\]$/);
  });

  test('a malformed token is {valid:false} with the reason; a bad token shape is a field error', async () => {
    const api = testApi();
    const reply = await api.call<{ valid: boolean; message: string }>('POST', zonePath('/logpush/ownership/validate'), { body: { destination_conf: S3, ownership_challenge: 'v1.abc.def' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.result.valid, false);
    assert.match(reply.body.result.message, /OWNERSHIP_MALFORMED/);
    const shape = await api.call('POST', zonePath('/logpush/ownership/validate'), { body: { destination_conf: S3, ownership_challenge: 'has spaces!' } });
    assert.match(failureOf(shape)[0]?.message ?? '', /^ownership_challenge: "has spaces!" is not allowed/);
  });

  test('account challenges are bound to the account', async () => {
    const api = testApi();
    const token = await tokenFor(api, S3, accountPath('/logpush/ownership'));
    const reply = await api.call<{ valid: boolean }>('POST', accountPath('/logpush/ownership/validate'), { body: { destination_conf: S3, ownership_challenge: token } });
    assert.deepEqual(reply.body.result, { valid: true });
    assert.equal(ACCOUNT.length, 32);
  });
});

describe('jobs and ownership', () => {
  test('a destination that requires a challenge is refused without one (1004, naming ownership_challenge)', async () => {
    const api = testApi();
    const reply = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: S3 }) });
    assert.equal(reply.status, 400);
    const [error] = failureOf(reply);
    assert.equal(error?.code, 1004);
    assert.equal(error?.source?.pointer, '/ownership_challenge');
    assert.match(error?.message ?? '', /^ownership_challenge: s3 destinations that Sluice writes to with its own credentials need an ownership challenge.*\[OWNERSHIP_REQUIRED\]$/);
    assert.equal(api.store.jobs().size, 0);
  });

  test('with a valid token the job is created; a token for another destination is refused', async () => {
    const api = testApi();
    const token = await tokenFor(api, S3);
    const ok = await api.call<JobView>('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: S3, ownership_challenge: token }) });
    assert.equal(ok.status, 200, ok.text);
    const wrong = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: S3_OTHER, ownership_challenge: token }) });
    assert.match(failureOf(wrong)[0]?.message ?? '', /\[OWNERSHIP_LOCATION_MISMATCH\]$/);
  });

  test('an expired token is refused', async () => {
    let now = T0;
    const api = testApi({ now: () => now });
    const token = await tokenFor(api, S3);
    now = T0 + 8 * 24 * 3600 * 1000;
    const reply = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: S3, ownership_challenge: token }) });
    assert.match(failureOf(reply)[0]?.message ?? '', /\[OWNERSHIP_EXPIRED\]$/);
  });

  test('changing the destination needs a fresh token for the new one; other changes need none', async () => {
    const api = testApi();
    const token = await tokenFor(api, S3);
    const job = (await api.call<JobView>('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: S3, ownership_challenge: token }) })).body.result;
    assert.equal((await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { enabled: true } })).status, 200, 'same destination: no token needed');
    const noToken = await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { destination_conf: S3_OTHER } });
    assert.match(failureOf(noToken)[0]?.message ?? '', /\[OWNERSHIP_REQUIRED\]$/);
    const oldToken = await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { destination_conf: S3_OTHER, ownership_challenge: token } });
    assert.match(failureOf(oldToken)[0]?.message ?? '', /\[OWNERSHIP_LOCATION_MISMATCH\]$/);
    const fresh = await tokenFor(api, S3_OTHER);
    const moved = await api.call<JobView>('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { destination_conf: S3_OTHER, ownership_challenge: fresh } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.result.destination_conf, S3_OTHER);
    assert.equal(moved.body.result.enabled, true);
  });

  test('S3 with keys takes a token but does not require one; a token sent must still be valid', async () => {
    const api = testApi();
    assert.equal((await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: S3_WITH_KEYS }) })).status, 200);
    const forged = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: S3_WITH_KEYS, ownership_challenge: 'v1.AAAA.BBBB' }) });
    assert.equal(failureOf(forged)[0]?.code, 1004);
  });

  test('without a signing key, a destination that requires a challenge is refused with 1006', async () => {
    const api = testApi({ withoutOwnershipKeys: true });
    const reply = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: S3 }) });
    assert.equal(reply.status, 501);
    assert.match(failureOf(reply)[0]?.message ?? '', /^destination_conf: s3 destinations without access keys need an ownership challenge, but ownership challenges are not enabled/);
    assert.equal((await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob() })).status, 200, 'HTTP destinations are unaffected');
  });
});
