import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_ZONE, accountPath, failureOf, httpJob, testApi, zonePath } from '../support/api-fixture.js';
import type { TestApi } from '../support/api-fixture.js';

/** S3 without keys: the server would write with its own AWS credentials. */
const S3_OWN_CREDENTIALS = 's3://logs/http?region=us-east-1';

async function challengeToken(api: TestApi, destinationConf: string): Promise<string> {
  const reply = await api.call<{ filename: string }>('POST', zonePath('/logpush/ownership'), { body: { destination_conf: destinationConf } });
  assert.equal(reply.status, 200, reply.text);
  return api.destinations.files.get(`logs/${reply.body.result.filename}`) ?? '';
}

describe('POST /{scope}/logpush/validate/destination', () => {
  test('writes the test object and answers valid', async () => {
    const api = testApi();
    const reply = await api.call<{ valid: boolean; message: string }>('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: 'https://siem.example.com/in' } });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.result, { valid: true, message: '' });
    assert.deepEqual(api.destinations.validated, ['http://http']);
  });

  test('a destination written with the server\'s own credentials is validated only with a verified ownership token for it', async () => {
    const api = testApi();
    const without = await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: S3_OWN_CREDENTIALS } });
    assert.equal(without.status, 400);
    assert.equal(failureOf(without)[0]?.code, 1004);
    assert.match(failureOf(without)[0]?.message ?? '', /^ownership_challenge: .*\[OWNERSHIP_REQUIRED\]$/);
    const forged = await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: S3_OWN_CREDENTIALS, ownership_challenge: 'v1.abc.def' } });
    assert.equal(failureOf(forged)[0]?.code, 1004);
    const otherBucket = await challengeToken(api, 's3://logs/audit?region=us-east-1');
    const misplaced = await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: S3_OWN_CREDENTIALS, ownership_challenge: otherBucket } });
    assert.match(failureOf(misplaced)[0]?.message ?? '', /\[OWNERSHIP_LOCATION_MISMATCH\]$/);
    assert.deepEqual(api.destinations.validated, []);

    const token = await challengeToken(api, S3_OWN_CREDENTIALS);
    const proven = await api.call<{ valid: boolean }>('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: S3_OWN_CREDENTIALS, ownership_challenge: token } });
    assert.equal(proven.status, 200, proven.text);
    assert.deepEqual(proven.body.result, { valid: true, message: '' });
    assert.deepEqual(api.destinations.validated, ['s3://logs']);
  });

  test('a refused or failing write is valid:false with its code, never a 5xx, and never the other host\'s reply', async () => {
    const api = testApi();
    api.destinations.failWith = { status: 'rejected', code: 'HTTP_401', message: 'HTTP 401 Unauthorized: {"internal":"db-password=hunter2"}' };
    const refused = await api.call<{ valid: boolean; message: string }>('POST', accountPath('/logpush/validate/destination'), { body: { destination_conf: 'https://siem.example.com/in' } });
    assert.equal(refused.status, 200);
    assert.equal(refused.body.result.valid, false);
    assert.equal(refused.body.result.message, 'the destination refused the test object [HTTP_401]');
    assert.ok(!refused.text.includes('hunter2'));
    api.destinations.failWith = { status: 'rejected', code: '<b>not a code</b>', message: 'x' };
    const oddCode = await api.call<{ valid: boolean; message: string }>('POST', accountPath('/logpush/validate/destination'), { body: { destination_conf: 'https://siem.example.com/in' } });
    assert.equal(oddCode.body.result.message, 'the destination refused the test object [UNKNOWN]');
    api.destinations.failWith = { status: 'retryable', code: 'HTTP_503', message: 'busy' };
    const later = await api.call<{ valid: boolean; message: string }>('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: 'https://siem.example.com/in' } });
    assert.match(later.body.result.message, /may pass later/);
  });

  test('a destination_conf that cannot be read is valid:false naming it; one that is not a string is a field error', async () => {
    const api = testApi();
    const unreadable = await api.call<{ valid: boolean; message: string }>('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: 'gopher://x' } });
    assert.equal(unreadable.body.result.valid, false);
    assert.match(unreadable.body.result.message, /^destination_conf: "gopher:\/\/" is not a supported destination/);
    const wrongType = await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: 42 } });
    assert.equal(wrongType.status, 400);
    assert.match(failureOf(wrongType)[0]?.message ?? '', /^destination_conf: 42 is not allowed; expected a destination URI/);
    assert.deepEqual(api.destinations.validated, []);
  });
});

describe('POST /{scope}/logpush/validate/destination/exists', () => {
  test('is true exactly when a job of this scope pushes to that destination_conf', async () => {
    const api = testApi();
    const conf = String(httpJob()['destination_conf']);
    const exists = async (path: string, destination_conf: string) =>
      (await api.call<{ exists: boolean }>('POST', path, { body: { destination_conf } })).body.result;
    assert.deepEqual(await exists(zonePath('/logpush/validate/destination/exists'), conf), { exists: false });
    await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob() });
    assert.deepEqual(await exists(zonePath('/logpush/validate/destination/exists'), conf), { exists: true });
    assert.deepEqual(await exists(zonePath('/logpush/validate/destination/exists', OTHER_ZONE), conf), { exists: false });
    assert.deepEqual(await exists(zonePath('/logpush/validate/destination/exists'), `${conf}&x=1`), { exists: false });
  });

  test('an unknown key in the body is named', async () => {
    const api = testApi();
    const reply = await api.call('POST', zonePath('/logpush/validate/destination/exists'), { body: { destination_conf: 'https://a.example.com', destination: 'x' } });
    assert.match(failureOf(reply)[0]?.message ?? '', /^destination: "destination" is not allowed here/);
  });
});

describe('POST /{scope}/logpush/validate/origin', () => {
  test('valid logpull_options are valid; bad ones say why', async () => {
    const api = testApi();
    const check = async (logpull_options: string | null) =>
      (await api.call<{ valid: boolean; message: string }>('POST', zonePath('/logpush/validate/origin'), { body: { logpull_options } })).body.result;
    assert.deepEqual(await check('fields=ClientIP,RayID&timestamps=rfc3339&sample=0.5&CVE-2021-44228=true'), { valid: true, message: '' });
    assert.deepEqual(await check(null), { valid: true, message: '' });
    const bad = await check('fields=ClientIP&timestamps=nanos&feilds=x');
    assert.equal(bad.valid, false);
    assert.match(bad.message, /timestamps="nanos" is not allowed/);
    assert.match(bad.message, /"feilds" is not a logpull option \(did you mean "fields"\?\)/);
  });

  test('a missing logpull_options is a field error', async () => {
    const api = testApi();
    const reply = await api.call('POST', zonePath('/logpush/validate/origin'), { body: {} });
    assert.equal(reply.status, 400);
    assert.match(failureOf(reply)[0]?.message ?? '', /^logpull_options: is required/);
  });
});
