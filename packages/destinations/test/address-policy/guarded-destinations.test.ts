// Tests the destinations the API writes to: each kind's host is vetted from its conf, and every write connects only through the guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAddressGuard } from '../../src/address-policy/address-guard.js';
import { parseAllowList } from '../../src/address-policy/allow-list.js';
import { createGuardedDestinations } from '../../src/address-policy/guarded-destinations.js';
import { validateDestination } from '../../src/validate-destination.js';
import { startReceiver } from '../http/local-receiver.js';
import { tableResolver } from '../support/table-resolver.js';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const DNS = { 'public.example': ['93.184.216.34'], 'intranet.example': ['10.0.0.8'], [`${ACCOUNT}.r2.cloudflarestorage.com`]: ['104.18.0.1'] };

test('each kind is vetted by the host its conf points at', async () => {
  const asked: string[] = [];
  const destinations = createGuardedDestinations({ guard: createAddressGuard({ resolve: tableResolver(DNS, asked) }) });
  const refused = [
    'https://intranet.example/ingest?header_Authorization=Basic%20eA',
    'splunk://intranet.example:8088/services/collector/raw?header_Authorization=Splunk%20t',
    'elasticsearch://intranet.example:9200/logs',
    'datadog://intranet.example/api/v2/logs?header_DD-API-KEY=k',
    'sumo://intranet.example/receiver/v1/http/abc123',
    's3://bucket/logs?region=us-east-1&endpoint=http://intranet.example:9000',
    's3://bucket/logs?region=us-east-1&endpoint=169.254.169.254',
    'https://[fd00:ec2::254]/latest',
  ];
  for (const conf of refused) {
    const verdict = await destinations.vet(conf);
    assert.equal(verdict.ok, false, conf);
    assert.equal(verdict.ok ? '' : verdict.code, 'ADDRESS_NOT_ALLOWED', conf);
  }
  assert.equal((await destinations.vet('https://public.example/ingest')).ok, true);
  assert.equal((await destinations.vet(`r2://bucket/logs?account-id=${ACCOUNT}&access-key-id=a&secret-access-key=s`)).ok, true);
  assert.ok(asked.includes(`${ACCOUNT}.r2.cloudflarestorage.com`));
});

test('AWS S3 without an endpoint and confs that do not parse are not resolved', async () => {
  const asked: string[] = [];
  const destinations = createGuardedDestinations({ guard: createAddressGuard({ resolve: tableResolver({}, asked) }) });
  assert.deepEqual(await destinations.vet('s3://bucket/logs?region=us-east-1'), { ok: true, addresses: [] });
  assert.deepEqual(await destinations.vet('ftp://somewhere'), { ok: true, addresses: [] });
  assert.deepEqual(asked, []);
});

test('a validation write to a name that resolves privately at connect time is refused and nothing is sent (S3 and HTTP)', async () => {
  const { registry } = createGuardedDestinations({ guard: createAddressGuard({ resolve: tableResolver({ 'minio.internal': ['192.168.7.7'], 'intranet.example': ['10.0.0.8'] }) }) });
  const s3 = await validateDestination(registry, 's3://bucket/logs?region=us-east-1&endpoint=http://minio.internal:9000&access-key-id=a&secret-access-key=s', AbortSignal.timeout(5_000));
  assert.notEqual(s3.status, 'delivered');
  assert.match('message' in s3 ? s3.message : '', /host "minio\.internal" resolves to a private address/);
  const http = await validateDestination(registry, 'https://intranet.example/ingest', AbortSignal.timeout(5_000));
  assert.notEqual(http.status, 'delivered');
  assert.match('message' in http ? http.message : '', /host "intranet\.example" resolves to a private address/);
});

test('an allowed loopback destination is written to through the guarded registry', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const allow = parseAllowList('127.0.0.1');
  assert.ok(allow.ok);
  const { registry } = createGuardedDestinations({ guard: createAddressGuard({ allow: allow.allow, resolve: tableResolver({}) }) });
  const result = await validateDestination(registry, `${receiver.origin}/ingest`, AbortSignal.timeout(5_000));
  assert.equal(result.status, 'delivered');
  assert.equal(receiver.requests.length, 1);
});
