// Every service over TLS + SASL on one secured scratch broker (authorizer on): loadgen, pusher, job store, and the edge
// as a user holding only its documented ACLs; PLAIN and mutual TLS connect; a wrong password or CA fails fast, secret-free.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_ISSUER, loadOrCreateDevSigningKey, parseEdgeConfig, startDemoOrigin, startEdge } from '@sluice/edge';
import type { DemoOrigin } from '@sluice/edge';
import { SCRATCH_ADMIN_USER } from '@sluice/infra-local';
import type { ScratchKafka, ScratchKafkaSecurity } from '@sluice/infra-local';
import { createKafkaJobStore } from '@sluice/job-store';
import { createKafkaClient, isKafkaSecurityError } from '@sluice/kafka';
import type { KafkaSecuritySettings } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { deriveHexId } from '@sluice/schemas';
import { createSelfSignedCertificate } from '@sluice/test-receivers';
import { countByRayId, createTestBucket, edgeAcls, gatewayBurst, gatewayRequest, readDatasetRecords, runSluice, runTag, s3DestinationConf, testEnv, testS3, withScratchKafka } from '../../src/index.js';

const tag = runTag();
const logger = createLogger({ name: 'e2e-kafka-security', level: 'warn' });
const RECORDS = 200;

describe('Kafka over TLS and SASL', () => {
  let kafka: ScratchKafka;
  let secure: ScratchKafkaSecurity;
  let dir: string;
  let zoneId = '';
  let loadgenStartedAt = 0;

  const password = (user: string): string => secure.users[user] ?? '';
  const scram512 = (user = SCRATCH_ADMIN_USER): KafkaSecuritySettings => ({ tls: { caFile: secure.caFile }, sasl: { mechanism: 'scram-sha-512', username: user, password: password(user) } });
  /** What an operator exports for the CLI: the KAFKA_* variables, the password in a file. */
  const cliEnv = (mechanism: string, overrides: Record<string, string> = {}): Record<string, string> => {
    const passwordFile = join(dir, `${mechanism}.password`);
    writeFileSync(passwordFile, `${password(SCRATCH_ADMIN_USER)}\n`, { mode: 0o600 });
    return { KAFKA_BROKERS: secure.saslSslBrokers, KAFKA_SSL_CA_FILE: secure.caFile, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: SCRATCH_ADMIN_USER, KAFKA_SASL_PASSWORD_FILE: passwordFile, ...overrides };
  };

  before(async () => {
    kafka = await withScratchKafka('tls-sasl', { secure: { users: ['edge'], authorizer: true } });
    secure = kafka.security!;
    dir = mkdtempSync(join(tmpdir(), 'sluice-e2e-tls-'));
    const admin = createKafkaClient({ brokers: [secure.saslSslBrokers], clientId: 'e2e-acl-setup', logger, security: scram512() }).admin();
    await admin.connect();
    await admin.createAcls({ acl: edgeAcls('edge') });
    await admin.disconnect();
  });

  after(async () => {
    await kafka.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loadgen publishes over TLS + SCRAM-SHA-256 configured from the environment', async () => {
    loadgenStartedAt = Date.now();
    const run = await runSluice(['loadgen', '--records', String(RECORDS), '--zones', `tls-${tag}.example`, '--seed', '7'], cliEnv('SCRAM-SHA-256'));
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { published: number; zones: Record<string, { records: number }> };
    assert.equal(summary.published, RECORDS);
    zoneId = Object.keys(summary.zones)[0] ?? '';
  });

  it('the pusher delivers them to S3 over TLS + SCRAM-SHA-512 configured from the environment', async () => {
    const env = testEnv();
    const bucket = `e2e-tls-${tag}`;
    await createTestBucket(testS3(env), bucket);
    const jobsFile = join(dir, 'jobs.json');
    const job = { id: 7001, name: `tls-${tag}`, dataset: 'http_requests', zone_id: zoneId, enabled: true, destination_conf: s3DestinationConf(env, bucket, 'tls'), output_options: { field_names: ['RayID'] }, max_upload_records: 1_000, start_from: new Date(loadgenStartedAt - 60_000).toISOString() };
    writeFileSync(jobsFile, JSON.stringify({ jobs: [job] }));
    // The pusher counts idle time from before its first connect; on a fresh secured broker (topics created, group joined) that takes seconds.
    const run = await runSluice(['pusher', '--jobs', jobsFile, '--exit-when-idle', '12'], cliEnv('SCRAM-SHA-512'));
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { jobs: { records_delivered: number }[] };
    assert.equal(summary.jobs[0]?.records_delivered, RECORDS, run.stderr.slice(-3_000));
  });

  it('the job store writes and reads its topics over TLS + SCRAM-SHA-512', async () => {
    const client = createKafkaClient({ brokers: [secure.saslSslBrokers], clientId: 'e2e-tls-store', logger, security: scram512() });
    const store = createKafkaJobStore({ kafka: client, logger, topics: { jobs: `sluice.jobs.tls-${tag}`, jobIds: `sluice.job-ids.tls-${tag}` } });
    try {
      await store.ready();
      const first = await store.nextJobId();
      assert.ok((await store.nextJobId()) > first);
    } finally {
      await store.close();
    }
  });

  it('the edge publisher thread publishes over TLS + SCRAM-SHA-512 from its config file, as a user with only the documented ACLs', async () => {
    const origin: DemoOrigin = await startDemoOrigin();
    const key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
    writeFileSync(join(dir, 'edge.password'), password('edge'), { mode: 0o600 });
    const token = await key.mint({ email: 'alice@example.com', audience: 'tls-aud', ttlSeconds: 600 });
    const host = `wiki-${tag}.example.com`;
    const zone = deriveHexId(`zone:tls-${tag}`);
    const parsed = parseEdgeConfig(
      {
        listen: { host: '127.0.0.1', port: 0 },
        account_id: deriveHexId(`account:tls-${tag}`),
        identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
        apps: [{ name: 'wiki', hostnames: [host], origin: origin.url, zone: { id: zone, name: 'example.com' }, aud: 'tls-aud', allow: { everyone: true } }],
        kafka: { brokers: secure.saslSslBrokers, tls: { ca_file: secure.caFile }, sasl: { mechanism: 'SCRAM-SHA-512', username: 'edge', password_file: 'edge.password' } },
        spool: { dir: 'spool' },
      },
      { baseDir: dir },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const edge = await startEdge({ config: parsed.config, logger });
    try {
      const replies = await gatewayBurst(40, 4, (i) => gatewayRequest(edge.address.port, host, `/tls/${i}`, { 'cf-access-jwt-assertion': token }));
      assert.deepEqual(replies.filter((r) => r.status !== 200), []);
      assert.equal(await edge.publisher.drained(30_000), true, 'the thread reached Kafka with the config file\'s TLS and SASL settings');
      assert.equal(edge.publisher.stats().spoolRecords, 0);
      const reader = createKafkaClient({ brokers: [secure.saslSslBrokers], clientId: 'e2e-tls-reader', logger, security: scram512() });
      const records = await readDatasetRecords(reader, 'http_requests', { until: (got) => replies.every((r) => countByRayId(got).has(r.rayId)), timeoutMs: 30_000 });
      const counts = countByRayId(records);
      assert.deepEqual(replies.filter((r) => counts.get(r.rayId) !== 1).map((r) => r.rayId), []);
    } finally {
      await edge.stop();
      await origin.close();
    }
    // The authorizer is really on: the edge's user may not touch what its ACLs leave out.
    const denied = createKafkaClient({ brokers: [secure.saslSslBrokers], clientId: 'e2e-tls-denied', logger, security: scram512('edge'), retry: { retries: 0, maxRetryTimeMs: 100 } }).admin();
    await denied.connect();
    await assert.rejects(denied.createTopics({ topics: [{ topic: `sluice.jobs.denied-${tag}` }] }), (error: { errors?: { type?: string }[] }) => {
      assert.deepEqual(error.errors?.map((e) => e.type), ['TOPIC_AUTHORIZATION_FAILED']);
      return true;
    });
    await denied.disconnect();
  });

  it('PLAIN connects, and the mutual-TLS listener takes the client certificate and refuses a client without one', async () => {
    const describe = async (brokers: string, security: KafkaSecuritySettings): Promise<number> => {
      const admin = createKafkaClient({ brokers: [brokers], clientId: 'e2e-tls-describe', logger, security, retry: { retries: 0, maxRetryTimeMs: 100 } }).admin();
      await admin.connect();
      try {
        return (await admin.describeCluster()).brokers.length;
      } finally {
        await admin.disconnect();
      }
    };
    assert.equal(await describe(secure.saslSslBrokers, { tls: { caFile: secure.caFile }, sasl: { mechanism: 'plain', username: 'edge', password: password('edge') } }), 1);
    assert.equal(await describe(secure.mtlsBrokers, { tls: { caFile: secure.caFile, certFile: secure.clientCertFile, keyFile: secure.clientKeyFile } }), 1);
    await assert.rejects(describe(secure.mtlsBrokers, { tls: { caFile: secure.caFile } }), (error) => isKafkaSecurityError(error, 'KAFKA_TLS_CLIENT_CERT_REFUSED'));
  });

  it('a wrong password fails at once with a clear error that names the user, not the password', async () => {
    const wrong = `wrong-${tag}-secret`;
    const started = Date.now();
    const run = await runSluice(['loadgen', '--records', '10'], { ...cliEnv('SCRAM-SHA-512'), KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: wrong }, 30_000);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /refused the SASL SCRAM-SHA-512 login of user "admin"/);
    assert.ok(!run.stderr.includes(wrong) && !run.stderr.includes(password(SCRATCH_ADMIN_USER)));
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });

  it('a CA that did not sign the broker certificate fails at once with a clear error', async () => {
    const other = await createSelfSignedCertificate();
    writeFileSync(join(dir, 'other-ca.pem'), other.cert);
    const started = Date.now();
    const run = await runSluice(['loadgen', '--records', '10'], cliEnv('SCRAM-SHA-512', { KAFKA_SSL_CA_FILE: join(dir, 'other-ca.pem') }), 30_000);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /presented a certificate this client does not trust .*KAFKA_SSL_CA_FILE/);
    assert.ok(!run.stderr.includes(password(SCRATCH_ADMIN_USER)));
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });
});
