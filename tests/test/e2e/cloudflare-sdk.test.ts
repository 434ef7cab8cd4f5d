// The official Cloudflare TypeScript SDK, unchanged but for baseURL, driving Sluice's jobs API on a real local socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import Cloudflare from 'cloudflare';
import { createApiServer, createAuthenticator, sha256Hex } from '@sluice/api';
import { parseOwnershipKey } from '@sluice/destinations';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import type { HealthStore } from '@sluice/job-store';
import { createLogger } from '@sluice/logging';
import { loopbackDestinations } from '../../src/api-destinations.js';
import { inMemoryDestinations } from '../../src/in-memory-destinations.js';

const ZONE = '023e105f4ecef8ad9ca31a8372d0c353';
const ACCOUNT = '01a7362d577a6c3019a474fd6f485823';
const TOKEN = 'sdk-test-token';
const EMAIL = 'user@example.com';
const KEY = 'c2547eb745079dac9320b638f5e225cf483cc5cfdda41';
/** S3 without keys: Logpush requires an ownership challenge. */
const S3 = 's3://sluice-logs/http/{DATE}?region=us-east-1';

const destinations = inMemoryDestinations();
/** Challenge files written by the in-memory object store, `bucket/key` → token. */
const files = destinations.files;
let app: ReturnType<typeof createApiServer>;
let health: HealthStore;
let baseURL: string;

function client(options: ConstructorParameters<typeof Cloudflare>[0] = { apiToken: TOKEN }): Cloudflare {
  return new Cloudflare({ ...options, baseURL, maxRetries: 0 });
}

before(async () => {
  const key = parseOwnershipKey('sdk-e2e-ownership-signing-key-0123456789');
  if (!key.ok) throw new Error(key.message);
  health = createMemoryHealthStore();
  app = createApiServer({
    store: createMemoryJobStore(),
    health,
    registry: destinations.registry,
    // The in-memory plugins never connect; every name resolves to loopback so that no test looks a real name up.
    addresses: loopbackDestinations({ resolve: () => Promise.resolve(['127.0.0.1']) }),
    auth: createAuthenticator({
      config: {
        tokens: [{ name: 'sdk', sha256: sha256Hex(TOKEN), scopes: { [`zones/${ZONE}`]: 'write', [`accounts/${ACCOUNT}`]: 'write' } }],
        keys: [{ email: EMAIL, sha256: sha256Hex(KEY), scopes: { [`zones/${ZONE}`]: 'read' } }],
      },
    }),
    ownershipKeys: { current: key.key, accepted: [key.key] },
    logger: createLogger({ name: 'api', level: 'warn' }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseURL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/client/v4`;
});

after(() => app?.close());

test('ownership challenge, create, list, get, update, dataset jobs and delete through client.logpush', async () => {
  const cf = client();
  const challenge = await cf.logpush.ownership.create({ zone_id: ZONE, destination_conf: S3 });
  assert.equal(challenge?.valid, true);
  assert.match(challenge?.filename ?? '', /^http\/\d{8}\/ownership-challenge-[0-9a-f]{8}\.txt$/);
  const token = files.get(`sluice-logs/${challenge?.filename ?? ''}`) ?? '';
  assert.match(token, /^v1\./);
  assert.deepEqual(await cf.logpush.ownership.validate({ zone_id: ZONE, destination_conf: S3, ownership_challenge: token }), { valid: true });

  const filter = '{"where":{"key":"ClientRequestHost","operator":"eq","value":"example.com"}}';
  const job = await cf.logpush.jobs.create({
    zone_id: ZONE,
    name: 'example-com',
    dataset: 'http_requests',
    destination_conf: S3,
    ownership_challenge: token,
    filter,
    output_options: { field_names: ['ClientIP', 'ClientRequestHost', 'EdgeStartTimestamp', 'RayID'], timestamp_format: 'rfc3339' },
  });
  assert.ok(job?.id !== undefined && job.id >= 1);
  assert.equal(job.enabled, false);
  assert.equal(job.dataset, 'http_requests');
  assert.equal((job as { filter?: unknown }).filter, filter, 'the filter comes back as the string it was sent as');

  const page = await cf.logpush.jobs.list({ zone_id: ZONE });
  assert.deepEqual(page.getPaginatedItems().map((j) => j?.id), [job.id]);
  const listed: number[] = [];
  for await (const item of cf.logpush.jobs.list({ zone_id: ZONE })) listed.push(item?.id ?? 0);
  assert.deepEqual(listed, [job.id]);

  await health.publish([{ id: job.id, last_complete: '2026-01-31T11:59:30Z', last_error: null, error_message: null, reported_at: '2026-01-31T12:00:00Z', worker: 'w1' }]);
  const fetched = await cf.logpush.jobs.get(job.id, { zone_id: ZONE });
  assert.equal(fetched?.name, 'example-com');
  assert.equal(fetched?.last_complete, '2026-01-31T11:59:30Z');

  const updated = await cf.logpush.jobs.update(job.id, { zone_id: ZONE, enabled: true, max_upload_records: 5000 });
  assert.equal(updated?.enabled, true);
  assert.equal(updated?.max_upload_records, 5000);
  assert.equal(updated?.name, 'example-com', 'PUT merges: fields not sent are kept');

  const byDataset = await cf.logpush.datasets.jobs.get('http_requests', { zone_id: ZONE });
  assert.deepEqual(byDataset.getPaginatedItems().map((j) => j?.id), [job.id]);

  assert.deepEqual(await cf.logpush.jobs.delete(job.id, { zone_id: ZONE }), { id: job.id });
  assert.deepEqual((await cf.logpush.jobs.list({ zone_id: ZONE })).getPaginatedItems(), []);
});

test('dataset fields come back as field → description', async () => {
  const fields = await client().logpush.datasets.fields.get('http_requests', { zone_id: ZONE });
  assert.equal(typeof fields['ClientIP'], 'string');
  assert.ok(Object.keys(fields).length > 50);
});

test('account jobs and the validate endpoints', async () => {
  const cf = client();
  const job = await cf.logpush.jobs.create({ account_id: ACCOUNT, dataset: 'access_requests', destination_conf: 'https://siem.example.com/in', output_options: { field_names: ['CreatedAt', 'Email', 'Allowed'] } });
  assert.equal(job?.dataset, 'access_requests');
  assert.deepEqual(await cf.logpush.validate.destinationExists({ account_id: ACCOUNT, destination_conf: 'https://siem.example.com/in' }), { exists: true });
  assert.deepEqual(await cf.logpush.validate.destination({ account_id: ACCOUNT, destination_conf: 'https://siem.example.com/in' }), { valid: true, message: '' });
  const origin = await cf.logpush.validate.origin({ zone_id: ZONE, logpull_options: 'fields=ClientIP,RayID&timestamps=rfc3339' });
  assert.deepEqual(origin, { valid: true, message: '' });
  await cf.logpush.jobs.delete(job?.id ?? 0, { account_id: ACCOUNT });
});

test('custom fields through client.rulesets.phases', async () => {
  const cf = client();
  const action_parameters = { request_fields: [{ name: 'cf-access-user' }], cookie_fields: [{ name: 'session' }] };
  const put = await cf.rulesets.phases.update('http_log_custom_fields', { zone_id: ZONE, rules: [{ action: 'log_custom_field', expression: 'true', action_parameters }] });
  assert.equal((put as { phase?: string }).phase, 'http_log_custom_fields');
  const got = await cf.rulesets.phases.get('http_log_custom_fields', { zone_id: ZONE });
  assert.deepEqual((got.rules[0] as { action_parameters?: unknown }).action_parameters, action_parameters);
});

test('errors surface as the SDK\'s typed errors with the envelope\'s codes', async () => {
  const cf = client();
  await assert.rejects(cf.logpush.jobs.get(424242, { zone_id: ZONE }), (error: unknown) => {
    assert.ok(error instanceof Cloudflare.NotFoundError);
    assert.equal(error.errors[0]?.code, 1002);
    return true;
  });
  await assert.rejects(
    cf.logpush.jobs.create({ zone_id: ZONE, dataset: 'http_requests', destination_conf: 'https://a.example.com', output_options: { field_names: ['NoSuchField'] } }),
    (error: unknown) => {
      assert.ok(error instanceof Cloudflare.BadRequestError);
      assert.match(error.errors[0]?.message ?? '', /^output_options\.field_names\[0\]: "NoSuchField" is not a field of http_requests/);
      return true;
    },
  );
  await assert.rejects(client({ apiToken: 'wrong' }).logpush.jobs.list({ zone_id: ZONE }), (error: unknown) => error instanceof Cloudflare.AuthenticationError && error.errors[0]?.code === 9109);
});

test('X-Auth-Email and X-Auth-Key work with their scopes: read passes, write is 403', async () => {
  const cf = client({ apiEmail: EMAIL, apiKey: KEY });
  assert.deepEqual((await cf.logpush.jobs.list({ zone_id: ZONE })).getPaginatedItems(), []);
  await assert.rejects(
    cf.logpush.jobs.create({ zone_id: ZONE, dataset: 'http_requests', destination_conf: 'https://a.example.com', output_options: { field_names: ['ClientIP'] } }),
    (error: unknown) => error instanceof Cloudflare.PermissionDeniedError && error.errors[0]?.code === 10000,
  );
});
