// What the dashboard's browser tests run against: the real edge gateway publishing to Kafka, and the API (with its dashboard, live tail, lag and access index) on loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAccessLogStore, createApiServer, createAuthenticator, createKafkaLagReader, createKafkaTailSources, sha256Hex, startAccessLogIngest } from '@sluice/api';
import type { AccessLogIngest, LagReader } from '@sluice/api';
import { DEV_ISSUER, loadOrCreateDevSigningKey, startDemoOrigin } from '@sluice/edge';
import type { DemoOrigin, DevSigningKey } from '@sluice/edge';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import type { HealthStore, JobStore } from '@sluice/job-store';
import { ensureTopics } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { deriveHexId, topicFor } from '@sluice/schemas';
import type { Kafka } from 'kafkajs';
import { loopbackDestinations } from './api-destinations.js';
import { startEdgeProcess } from './edge-process.js';
import type { EdgeProcess } from './edge-process.js';
import { runTag, testEnv, testKafka } from './test-env.js';

export interface DashboardStack {
  /** `http://127.0.0.1:<port>`: the API, the dashboard at /dash/. */
  readonly base: string;
  /** A token with read access to the zone and account and write access to the zone's jobs. */
  readonly token: string;
  readonly zoneId: string;
  readonly accountId: string;
  /** The app's hostname behind the gateway. */
  readonly host: string;
  readonly edge: EdgeProcess;
  readonly key: DevSigningKey;
  /** The audience the app's tokens are minted for. */
  readonly audience: string;
  readonly kafka: Kafka;
  readonly store: JobStore;
  readonly health: HealthStore;
  readonly api: FastifyInstance;
  /** Resolves once the access index holds every event Kafka already has. */
  accessCaughtUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startDashboardStack(name: string): Promise<DashboardStack> {
  const env = testEnv();
  const tag = runTag();
  const zoneId = deriveHexId(`zone:dash-${name}-${tag}`);
  const accountId = deriveHexId(`account:dash-${name}-${tag}`);
  const host = `wiki-${tag}.example.com`;
  const audience = `wiki-${tag}-aud`;
  const token = `dashboard-e2e-token-${tag}`;
  const kafka = testKafka(env, `dashboard-${name}`);
  await ensureTopics(kafka, (['http_requests', 'access_requests'] as const).map((d) => ({ topic: topicFor(d), numPartitions: 6 })));

  const dir = mkdtempSync(join(tmpdir(), `sluice-dash-${name}-`));
  const key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
  const origin: DemoOrigin = await startDemoOrigin();
  const customFields = { request_fields: [{ name: 'cf-access-user' }] };
  writeFileSync(join(dir, 'jobs.json'), JSON.stringify({ jobs: [], custom_fields: { [zoneId]: customFields } }));
  writeFileSync(
    join(dir, 'edge.json'),
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      account_id: accountId,
      identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
      apps: [{ name: 'wiki', hostnames: [host], origin: origin.url, zone: { id: zoneId, name: 'wiki.example.com' }, aud: audience, allow: { email_domains: ['example.com'] } }],
      custom_fields: 'jobs.json',
      kafka: { brokers: env.brokers.join(',') },
      spool: { dir: 'spool' },
    }),
  );
  const edge = await startEdgeProcess(join(dir, 'edge.json'));

  const logger = createLogger({ name: `dashboard-${name}`, level: 'warn' });
  const store = createMemoryJobStore();
  const health = createMemoryHealthStore();
  await store.putCustomFields(zoneId, customFields);
  const accessLogs = createAccessLogStore();
  const ingest: AccessLogIngest = startAccessLogIngest({ kafka, store: accessLogs, logger });
  await ingest.start();
  const lag: LagReader = createKafkaLagReader(kafka);
  const destinations = loopbackDestinations();
  const scopes = { [`zones/${zoneId}`]: 'write', [`accounts/${accountId}`]: 'read' } as const;
  const api = createApiServer({
    store,
    health,
    registry: destinations.registry,
    addresses: destinations,
    auth: createAuthenticator({ config: { tokens: [{ name: 'dashboard-e2e', sha256: sha256Hex(token), scopes }], keys: [] } }),
    logger,
    accessLogs,
    lag,
    liveTail: { sources: createKafkaTailSources(kafka), limits: { maxDurationMs: 120_000 } },
  });
  const base = await api.listen({ port: 0, host: '127.0.0.1' });

  return {
    base,
    token,
    zoneId,
    accountId,
    host,
    edge,
    key,
    audience,
    kafka,
    store,
    health,
    api,
    accessCaughtUp: () => ingest.caughtUp(),
    async close() {
      if (edge.child.exitCode === null) edge.child.kill('SIGTERM');
      await api.close();
      await Promise.allSettled([ingest.close(), lag.close(), origin.close()]);
      accessLogs.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
