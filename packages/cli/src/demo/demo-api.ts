// The demo's API with its dashboard: the demo's job store, the access index and the live tail on the local Kafka, and a fresh token to sign in with.
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createAccessLogStore, createApiServer, createAuthenticator, createKafkaLagReader, createKafkaTailSources, sha256Hex, startAccessLogIngest } from '@sluice/api';
import { createAddressGuard, createGuardedDestinations } from '@sluice/destinations';
import type { HealthStore, JobStore } from '@sluice/job-store';
import type { Logger } from '@sluice/logging';
import { allowListOf } from '../destination-policy.js';
import { DEFAULT_API_HOST, DEFAULT_API_PORT } from '../commands/api-command.js';

export interface DemoApi {
  /** `http://127.0.0.1:<port>/dash/`. */
  readonly dashboardUrl: string;
  /** Random per run; write access to every zone and account of this API only. */
  readonly token: string;
  close(): Promise<void>;
}

export interface DemoApiOptions {
  kafka: Kafka;
  store: JobStore;
  health: HealthStore;
  logger: Logger;
}

export async function startDemoApi(options: DemoApiOptions): Promise<DemoApi> {
  const { kafka, logger } = options;
  const token = randomBytes(18).toString('base64url');
  const accessLogs = createAccessLogStore();
  const ingest = startAccessLogIngest({ kafka, store: accessLogs, logger });
  const lag = createKafkaLagReader(kafka);
  // The demo's S3 runs on loopback: the audit view reads back what the jobs stored there.
  const destinations = createGuardedDestinations({ guard: createAddressGuard({ allow: allowListOf('127.0.0.1,localhost') }) });
  const app = createApiServer({
    store: options.store,
    health: options.health,
    registry: destinations.registry,
    addresses: destinations,
    objectStores: destinations.objectStores,
    auth: createAuthenticator({ config: { tokens: [{ name: 'demo-dashboard', sha256: sha256Hex(token), scopes: { '*': 'write' } }], keys: [] } }),
    logger,
    accessLogs,
    lag,
    liveTail: { sources: createKafkaTailSources(kafka) },
  });
  const close = async (): Promise<void> => {
    await app.close();
    await Promise.allSettled([ingest.close(), lag.close()]);
    accessLogs.close();
  };
  try {
    await ingest.start();
    await listenOnDefaultOrFreePort(app);
  } catch (error) {
    await close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : DEFAULT_API_PORT;
  return { dashboardUrl: `http://${DEFAULT_API_HOST}:${port}/dash/`, token, close };
}

/** `sluice api`'s port, or a free one when something (a running `sluice api`) holds it. */
async function listenOnDefaultOrFreePort(app: ReturnType<typeof createApiServer>): Promise<void> {
  try {
    await app.listen({ port: DEFAULT_API_PORT, host: DEFAULT_API_HOST });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await app.listen({ port: 0, host: DEFAULT_API_HOST });
  }
}
