// Tests the address policy on every route that writes to a destination or stores one: the resolver is injected, nothing is sent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALLOW_HINT } from '@sluice/destinations';
import { failureOf, httpJob, testApi, zonePath } from '../support/api-fixture.js';

const DNS = {
  'intranet.example': ['10.0.0.5'],
  'minio.internal': ['192.168.10.20'],
  'imds.example': ['169.254.169.254'],
  'gone.example': [],
  localhost: ['127.0.0.1', '::1'],
};

function refusal(reply: Awaited<ReturnType<ReturnType<typeof testApi>['call']>>): { code: number; message: string; pointer: string | undefined } {
  assert.equal(reply.status, 400, reply.text);
  const [error] = failureOf(reply);
  return { code: error?.code ?? 0, message: error?.message ?? '', pointer: error?.source?.pointer };
}

describe('destinations that point inside the network are refused', () => {
  test('validate/destination: a name resolving to a private address is 1012 naming destination_conf and the host, and nothing is written', async () => {
    const api = testApi({ dns: DNS });
    const reply = await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: 'https://intranet.example/in?header_Authorization=Bearer%20t' } });
    const error = refusal(reply);
    assert.equal(error.code, 1012);
    assert.equal(error.pointer, '/destination_conf');
    assert.equal(error.message, `destination_conf: host "intranet.example" resolves to a private address (RFC 1918), which destinations may not use ${ALLOW_HINT} [ADDRESS_NOT_ALLOWED]`);
    assert.ok(!reply.text.includes('10.0.0.5'));
    assert.deepEqual(api.destinations.validated, []);
  });

  test('validate/destination: metadata, link-local, loopback and unspecified addresses written as the host are refused', async () => {
    const api = testApi({ dns: DNS });
    for (const conf of ['https://169.254.169.254/latest/meta-data', 'https://imds.example/x', 'https://[fe80::1]/x', 'http://127.0.0.1:8080/x', 'http://0.0.0.0:80/x', 'https://metadata.google.internal/computeMetadata/v1', 'elasticsearch://[fd00:ec2::254]:9200/logs']) {
      const error = refusal(await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: conf } }));
      assert.equal(error.code, 1012, conf);
    }
    assert.deepEqual(api.destinations.validated, []);
  });

  test('a host that does not resolve is refused as unresolved', async () => {
    const api = testApi({ dns: DNS });
    const error = refusal(await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: 'https://gone.example/in' } }));
    assert.equal(error.message, 'destination_conf: host "gone.example" does not resolve [HOST_UNRESOLVED]');
  });

  test('ownership: a challenge file is not written to an S3 endpoint inside the network', async () => {
    const api = testApi({ dns: DNS });
    const error = refusal(await api.call('POST', zonePath('/logpush/ownership'), { body: { destination_conf: 's3://logs/http?region=us-east-1&endpoint=http://minio.internal:9000' } }));
    assert.equal(error.code, 1012);
    assert.match(error.message, /host "minio\.internal" resolves to a private address/);
    assert.equal(api.destinations.files.size, 0);
  });

  test('jobs: create and a destination change are refused; other changes to a job do not resolve anything', async () => {
    const asked: string[] = [];
    const api = testApi({ dns: DNS, asked });
    const create = await api.call('POST', zonePath('/logpush/jobs'), { body: httpJob({ destination_conf: 'splunk://intranet.example:8088/services/collector/raw?header_Authorization=Splunk%20t' }) });
    assert.equal(refusal(create).code, 1012);
    assert.equal(api.store.jobs().size, 0);

    const created = await api.call<{ id: number }>('POST', zonePath('/logpush/jobs'), { body: httpJob() });
    assert.equal(created.status, 200);
    const path = zonePath(`/logpush/jobs/${created.body.result.id}`);
    const moved = await api.call('PUT', path, { body: { destination_conf: 'https://[::ffff:10.0.0.1]/in' } });
    assert.equal(refusal(moved).code, 1012);
    assert.equal(api.store.jobs().get(created.body.result.id)?.destination_conf, httpJob()['destination_conf']);

    asked.length = 0;
    const renamed = await api.call('PUT', path, { body: { name: 'renamed', destination_conf: httpJob()['destination_conf'] } });
    assert.equal(renamed.status, 200);
    assert.deepEqual(asked, []);
  });

  test('the operator\'s allow-list admits listed names and addresses', async () => {
    const api = testApi({ dns: DNS, allowDestinationHosts: '127.0.0.1,localhost,10.0.0.0/8' });
    for (const conf of ['http://127.0.0.1:8080/in', 'http://localhost:8080/in', 'https://intranet.example/in']) {
      const reply = await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: conf } });
      assert.equal(reply.status, 200, `${conf}: ${reply.text}`);
    }
    assert.equal(refusal(await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: 'https://minio.internal/in' } })).code, 1012);
  });

  test('a connection the guard stopped at connect time (the name re-resolved) is 1012, not the transport error', async () => {
    const api = testApi({ dns: DNS });
    api.destinations.failWith = { status: 'retryable', code: 'HTTP_CONNECTION', message: `no answer: ADDRESS_NOT_ALLOWED: host "rebind.example" resolves to a private address (RFC 1918), which destinations may not use ${ALLOW_HINT}` };
    const error = refusal(await api.call('POST', zonePath('/logpush/validate/destination'), { body: { destination_conf: 'https://rebind.example/in' } }));
    assert.equal(error.code, 1012);
    assert.match(error.message, /resolved to an address destinations may not use when Sluice connected/);
  });
});
