import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobView } from '../../src/index.js';
import { ACCOUNT, OTHER_ZONE, accessJob, accountPath, failureOf, httpJob, testApi, zonePath } from '../support/api-fixture.js';
import type { TestApi } from '../support/api-fixture.js';

async function created(api: TestApi, body: Record<string, unknown> = httpJob(), path = zonePath('/logpush/jobs')): Promise<JobView> {
  const reply = await api.call<JobView>('POST', path, { body });
  assert.equal(reply.status, 200, reply.text);
  return reply.body.result;
}

describe('POST /{scope}/logpush/jobs', () => {
  test('creates a disabled job with the next id, scoped to the zone in the path, in the v4 envelope', async () => {
    const api = testApi();
    const reply = await api.call<JobView>('POST', zonePath('/logpush/jobs'), { body: httpJob() });
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.deepEqual(Object.keys(reply.body), ['success', 'errors', 'messages', 'result']);
    assert.equal(reply.body.success, true);
    assert.deepEqual(reply.body.errors, []);
    assert.deepEqual(reply.body.result, {
      id: 1,
      dataset: 'http_requests',
      enabled: false,
      name: 'siem',
      kind: '',
      destination_conf: httpJob()['destination_conf'],
      filter: null,
      output_options: { field_names: ['ClientIP', 'EdgeStartTimestamp', 'RayID'], timestamp_format: 'rfc3339' },
      logpull_options: null,
      frequency: null,
      max_upload_bytes: null,
      max_upload_records: null,
      max_upload_interval_seconds: null,
      last_complete: null,
      last_error: null,
      error_message: null,
    });
    const stored = api.store.jobs().get(1);
    assert.equal(stored?.zone_id, '0123456789abcdef0123456789abcdef');
    assert.equal(stored?.enabled, false);
    assert.equal((await created(api)).id, 2);
  });

  test('enabled: true creates a running job', async () => {
    const api = testApi();
    assert.equal((await created(api, httpJob({ enabled: true }))).enabled, true);
  });

  test('the filter is stored and echoed back as the JSON string it was sent as', async () => {
    const api = testApi();
    const filter = '{"where":{"and":[{"key":"ClientRequestHost","operator":"eq","value":"example.com"},{"key":"EdgeResponseStatus","operator":"geq","value":500}]}}';
    const job = await created(api, httpJob({ filter }));
    assert.equal(job.filter, filter);
    assert.equal(api.store.jobs().get(job.id)?.filter, filter);
  });

  test('a filter sent as an object, not a string, is refused naming filter', async () => {
    const api = testApi();
    const reply = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ filter: { where: { key: 'ClientIP', operator: 'eq', value: '1.1.1.1' } } }) });
    assert.equal(reply.status, 400);
    assert.match(failureOf(reply)[0]?.message ?? '', /^filter: .* is not allowed; expected a JSON string/);
  });

  test('every problem in the body is reported, each naming its field and pointing at it', async () => {
    const api = testApi();
    const reply = await api.call('POST', zonePath('/logpush/jobs'), {
      body: httpJob({ max_upload_records: 5, output_options: { field_names: ['ClientIP', 'ClientIPP'], sample_rate: 2 } }),
    });
    assert.equal(reply.status, 400);
    const errors = failureOf(reply);
    assert.ok(errors.every((error) => error.code === 1001));
    assert.deepEqual(errors.map((error) => error.source?.pointer).sort(), ['/max_upload_records', '/output_options/sample_rate']);
    assert.match(errors.find((e) => e.source?.pointer === '/max_upload_records')?.message ?? '', /^max_upload_records: 5 is not allowed; expected an integer from 1,000 to 1,000,000/);
    const fields = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ output_options: { field_names: ['ClientIP', 'ClientIPP'] } }) });
    assert.equal(failureOf(fields)[0]?.message, 'output_options.field_names[1]: "ClientIPP" is not a field of http_requests (did you mean "ClientIP"?)');
  });

  test('dataset and destination_conf are required; an unknown key is named with a suggestion', async () => {
    const api = testApi();
    const missing = await api.call('POST', zonePath('/logpush/jobs'), { body: { output_options: { field_names: ['ClientIP'] } } });
    assert.deepEqual(failureOf(missing).map((e) => e.message.split(':')[0]).sort(), ['dataset', 'destination_conf']);
    const typo = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destinaton_conf: 'x' }) });
    assert.equal(failureOf(typo)[0]?.message, 'destinaton_conf: "destinaton_conf" is not a job field (did you mean "destination_conf"?)');
  });

  test('a destination_conf the registry cannot use is refused with its reason', async () => {
    const api = testApi();
    const reply = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: 'ftp://example.com/logs' }) });
    assert.equal(reply.status, 400);
    assert.match(failureOf(reply)[0]?.message ?? '', /^destination_conf: "ftp:\/\/" is not a supported destination/);
  });

  test('legacy logpull_options are accepted in place of output_options', async () => {
    const api = testApi();
    const job = await created(api, { dataset: 'http_requests', destination_conf: 'https://x.example.com/in', logpull_options: 'fields=ClientIP,RayID&timestamps=rfc3339' });
    assert.equal(job.logpull_options, 'fields=ClientIP,RayID&timestamps=rfc3339');
    assert.equal(job.output_options, null);
  });

  test('read-only fields and nulls are ignored, so a job read with GET can be posted again', async () => {
    const api = testApi();
    const first = await created(api, httpJob({ filter: '{"where":{"key":"ClientIP","operator":"eq","value":"1.1.1.1"}}' }));
    const again = await created(api, { ...first, last_complete: '2026-01-31T00:00:00Z' });
    assert.equal(again.id, 2);
    assert.deepEqual({ ...again, id: 1 }, first);
  });

  test('zone_id in the body must be the zone in the path, and account_id is refused under a zone', async () => {
    const api = testApi();
    const other = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ zone_id: OTHER_ZONE }) });
    assert.match(failureOf(other)[0]?.message ?? '', /^zone_id: "fedcba9876543210fedcba9876543210" is not the zone in the path/);
    const account = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ account_id: ACCOUNT }) });
    assert.match(failureOf(account)[0]?.message ?? '', /^account_id: jobs under \/zones\/0123456789abcdef0123456789abcdef belong to that zone/);
  });

  test('a dataset is created only under the scope it belongs to', async () => {
    const api = testApi();
    const underZone = await api.call('POST', zonePath('/logpush/jobs'), { body: accessJob() });
    assert.equal(underZone.status, 400);
    assert.match(failureOf(underZone)[0]?.message ?? '', /^dataset: "access_requests" is an account dataset: its jobs live under \/accounts\/\{account_id\}\/logpush\/jobs/);
    const underAccount = await api.call('POST', accountPath('/logpush/jobs'), { body: httpJob() });
    assert.match(failureOf(underAccount)[0]?.message ?? '', /^dataset: "http_requests" is a zone dataset/);
  });

  test('account jobs are created, listed and read under /accounts/{account_id}', async () => {
    const api = testApi();
    const job = await created(api, accessJob(), accountPath('/logpush/jobs'));
    assert.equal(api.store.jobs().get(job.id)?.account_id, ACCOUNT);
    const list = await api.call<JobView[]>('GET', accountPath('/logpush/jobs'));
    assert.deepEqual(list.body.result.map((j) => j.id), [job.id]);
    assert.deepEqual((await api.call<JobView[]>('GET', zonePath('/logpush/jobs'))).body.result, []);
  });

  test('the zone job limit answers with Logpush\'s message and leaves the zone unchanged', async () => {
    const api = testApi({ maxJobsPerZone: 2 });
    await created(api);
    await created(api);
    const third = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob() });
    assert.equal(third.status, 400);
    assert.equal(failureOf(third)[0]?.code, 1003);
    assert.match(failureOf(third)[0]?.message ?? '', /^creating a new job is not allowed: exceeded max jobs allowed \(2 per zone\)$/);
    assert.equal(api.store.jobs().size, 2);
    const otherZone = await api.call('POST', zonePath('/logpush/jobs', OTHER_ZONE), { body: httpJob() });
    assert.equal(otherZone.status, 200, 'the limit is per zone');
  });

  test('concurrent creates never exceed the limit', async () => {
    const api = testApi({ maxJobsPerZone: 3 });
    const replies = await Promise.all(Array.from({ length: 8 }, () => api.call('POST', zonePath('/logpush/jobs'), { body: httpJob() })));
    assert.equal(replies.filter((r) => r.status === 200).length, 3);
    assert.equal(api.store.jobs().size, 3);
  });
});

describe('GET /{scope}/logpush/jobs and /jobs/{id}', () => {
  test('lists the zone\'s jobs by id, and nothing of other zones', async () => {
    const api = testApi();
    await created(api);
    await created(api, httpJob(), zonePath('/logpush/jobs', OTHER_ZONE));
    await created(api, httpJob({ name: 'second' }));
    const list = await api.call<JobView[]>('GET', zonePath('/logpush/jobs'));
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.result.map((job) => [job.id, job.name]), [[1, 'siem'], [3, 'second']]);
  });

  test('last_complete, last_error and error_message come from the latest health report', async () => {
    const api = testApi();
    const job = await created(api);
    await api.health.publish([{ id: job.id, last_complete: '2026-01-31T11:59:30Z', last_error: '2026-01-31T12:00:00Z', error_message: 'HTTP 503 from logs.example.com', reported_at: '2026-01-31T12:00:01Z', worker: 'w1', records_delivered: 7 }]);
    const reply = await api.call<JobView>('GET', zonePath(`/logpush/jobs/${job.id}`));
    assert.equal(reply.body.result.last_complete, '2026-01-31T11:59:30Z');
    assert.equal(reply.body.result.last_error, '2026-01-31T12:00:00Z');
    assert.equal(reply.body.result.error_message, 'HTTP 503 from logs.example.com');
    assert.ok(!('records_delivered' in reply.body.result), 'worker counters are not part of the Logpush job');
  });

  test('a job of another zone, or none, is 1002 not found', async () => {
    const api = testApi();
    const job = await created(api, httpJob(), zonePath('/logpush/jobs', OTHER_ZONE));
    for (const path of [zonePath(`/logpush/jobs/${job.id}`), zonePath('/logpush/jobs/99')]) {
      const reply = await api.call('GET', path);
      assert.equal(reply.status, 404);
      assert.equal(failureOf(reply)[0]?.code, 1002);
    }
  });

  test('a job id that is not an integer ≥ 1 is 7003 with the id named', async () => {
    const api = testApi();
    for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
      const reply = await api.call('GET', zonePath(`/logpush/jobs/${id}`));
      assert.equal(reply.status, 400, id);
      assert.equal(failureOf(reply)[0]?.code, 7003);
      assert.match(failureOf(reply)[0]?.message ?? '', /perhaps your object identifier is invalid\? The job id/);
    }
  });

  test('ownership_challenge is never shown, and the stored job does not keep it', async () => {
    const api = testApi();
    const conf = 'r2://logs/http?account-id=0123456789abcdef0123456789abcdef&access-key-id=AK&secret-access-key=SK';
    const challenge = await api.call<{ filename: string }>('POST', zonePath('/logpush/ownership'), { body: { destination_conf: conf } });
    const token = api.destinations.files.get(`logs/${challenge.body.result.filename}`) ?? '';
    const job = await created(api, httpJob({ destination_conf: conf, ownership_challenge: token }));
    const reply = await api.call('GET', zonePath(`/logpush/jobs/${job.id}`));
    assert.ok(!reply.text.includes(token));
    assert.ok(!('ownership_challenge' in (api.store.jobs().get(job.id) ?? {})));
  });
});

describe('PUT /{scope}/logpush/jobs/{id}', () => {
  test('merges the fields sent over the stored job', async () => {
    const api = testApi();
    const job = await created(api, httpJob({ filter: '{"where":{"key":"ClientIP","operator":"eq","value":"1.1.1.1"}}' }));
    const reply = await api.call<JobView>('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { enabled: true, name: 'renamed' } });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.body.result, { ...job, enabled: true, name: 'renamed' });
    assert.deepEqual(api.store.jobs().get(job.id)?.output_options, job.output_options);
  });

  test('null unsets a field', async () => {
    const api = testApi();
    const job = await created(api, httpJob({ filter: '{"where":{"key":"ClientIP","operator":"eq","value":"1.1.1.1"}}', max_upload_records: 5000 }));
    const reply = await api.call<JobView>('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { filter: null, max_upload_records: null, name: null } });
    assert.equal(reply.body.result.filter, null);
    assert.equal(reply.body.result.max_upload_records, null);
    assert.equal(reply.body.result.name, null);
  });

  test('dataset and kind cannot change (1005), but may be sent unchanged', async () => {
    const api = testApi();
    const job = await created(api);
    const dataset = await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { dataset: 'access_requests' } });
    assert.equal(dataset.status, 400);
    assert.equal(failureOf(dataset)[0]?.code, 1005);
    assert.match(failureOf(dataset)[0]?.message ?? '', /^dataset: cannot be changed \(this job's dataset is "http_requests", "access_requests" was sent\)/);
    const kind = await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { kind: 'edge' } });
    assert.equal(failureOf(kind)[0]?.source?.pointer, '/kind');
    const same = await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { dataset: 'http_requests', kind: '', enabled: true } });
    assert.equal(same.status, 200);
  });

  test('the merged job is validated as a whole, naming the field', async () => {
    const api = testApi();
    const job = await created(api);
    const reply = await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { output_options: { field_names: ['Nope'] } } });
    assert.equal(reply.status, 400);
    assert.match(failureOf(reply)[0]?.message ?? '', /^output_options\.field_names\[0\]: "Nope" is not a field of http_requests/);
    assert.deepEqual(api.store.jobs().get(job.id)?.output_options, job.output_options, 'a refused update changes nothing');
  });

  test('an id in the body must be the job\'s own', async () => {
    const api = testApi();
    const job = await created(api);
    const reply = await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { id: 42, enabled: true } });
    assert.match(failureOf(reply)[0]?.message ?? '', /^id: 42 is not this job's id \(1\)/);
    assert.equal((await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: { ...job, enabled: true } })).status, 200, 'a GET result sent back is fine');
  });

  test('a missing job is 1002, and a body that is not an object names the body', async () => {
    const api = testApi();
    assert.equal((await api.call('PUT', zonePath('/logpush/jobs/7'), { body: { enabled: true } })).status, 404);
    const job = await created(api);
    const reply = await api.call('PUT', zonePath(`/logpush/jobs/${job.id}`), { body: [1, 2] });
    assert.match(failureOf(reply)[0]?.message ?? '', /^body: a job update must be a JSON object, got \[1,2\]/);
  });
});

describe('DELETE /{scope}/logpush/jobs/{id}', () => {
  test('deletes the job and answers {"id": …}', async () => {
    const api = testApi();
    const job = await created(api);
    const reply = await api.call<{ id: number }>('DELETE', zonePath(`/logpush/jobs/${job.id}`));
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.result, { id: job.id });
    assert.equal(api.store.jobs().size, 0);
    assert.equal((await api.call('DELETE', zonePath(`/logpush/jobs/${job.id}`))).status, 404);
  });

  test('a job of another zone cannot be deleted through this one', async () => {
    const api = testApi();
    const job = await created(api, httpJob(), zonePath('/logpush/jobs', OTHER_ZONE));
    assert.equal((await api.call('DELETE', zonePath(`/logpush/jobs/${job.id}`))).status, 404);
    assert.equal(api.store.jobs().size, 1);
  });

  test('a DELETE with Content-Type: application/json and no body is fine', async () => {
    const api = testApi();
    const job = await created(api);
    const reply = await api.call('DELETE', zonePath(`/logpush/jobs/${job.id}`), { headers: { 'content-type': 'application/json' } });
    assert.equal(reply.status, 200);
  });
});
