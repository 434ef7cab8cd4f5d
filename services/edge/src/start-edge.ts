// Assembles a running gateway from its configuration: keys, verifier, Kafka publisher with its spool, listeners.
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { kafkaSecurityFromEnv, parseBrokers } from '@sluice/kafka';
import type { Logger } from '@sluice/logging';
import { topicFor } from '@sluice/schemas';
import type { EdgeConfig } from './config/edge-config.js';
import { createJwksKeySource } from './identity/jwks-key-source.js';
import { createTokenVerifier } from './identity/token-verifier.js';
import type { RecordPublisher } from './publish/record-publisher.js';
import { KAFKA_PUBLISHER_THREAD } from './publish/thread/kafka-publisher-thread-url.js';
import type { KafkaPublisherThreadData } from './publish/thread/kafka-publisher-thread.js';
import { startThreadedPublisher } from './publish/thread/threaded-publisher.js';
import { startAdminServer } from './gateway/admin-server.js';
import type { AdminServer } from './gateway/admin-server.js';
import { createEdgeGateway } from './gateway/edge-gateway.js';
import type { EdgeGateway } from './gateway/edge-gateway.js';
import type { LoginTracker } from './records/login-tracker.js';
import { startOrphanAdoption } from './cluster/orphan-adoption.js';
import { workerSpoolDir } from './cluster/spool-dirs.js';
import { acquireSpoolLock } from './cluster/spool-lock.js';
import { sumPublisherStats } from './cluster/stats-sum.js';

export interface StartEdgeOptions {
  readonly config: EdgeConfig;
  readonly logger: Logger;
  /** Publisher knobs for tests; production uses the defaults. */
  readonly publisher?: { readonly sendTimeoutMs?: number; readonly queueMaxRecords?: number };
  /**
   * This process as worker `index` of `count` (cluster/): its spool is `workerSpoolDir(spool.dir, index)`,
   * and worker 0 adopts the spools of workers beyond `count`. Absent: the only worker (0 of 1).
   */
  readonly worker?: { readonly index: number; readonly count: number };
  /** Decides which requests log a `login` (default: this process's memory); the workers share the primary's. */
  readonly loginTracker?: LoginTracker;
}

export interface RunningEdge {
  readonly gateway: EdgeGateway;
  readonly publisher: RecordPublisher;
  readonly address: AddressInfo;
  readonly admin: AdminServer | undefined;
  /** Stops taking requests, finishes those in progress, then writes what Kafka has not acknowledged to the spool. */
  stop(): Promise<void>;
}

export const EDGE_DATASETS = ['http_requests', 'access_requests'] as const;

/** A live holder of our spool's lock (a worker of a killed gateway, still exiting) gets this long to go away. */
const SPOOL_LOCK_WAIT_MS = 15_000;

export async function startEdge(options: StartEdgeOptions): Promise<RunningEdge> {
  const { config, logger } = options;
  const worker = options.worker ?? { index: 0, count: 1 };
  const spoolDir = workerSpoolDir(config.spool.dir, worker.index);
  const keys = await createJwksKeySource(config.identity.jwks);
  const verifier = createTokenVerifier({
    keys,
    issuer: config.identity.issuer,
    leewaySeconds: config.identity.leewaySeconds,
    groupsClaim: config.identity.groupsClaim,
    connectionClaim: config.identity.connectionClaim,
  });
  // Kafka and the spool run on a thread of their own (publish/thread/): their work never delays a request.
  const publisherData = (dir: string): KafkaPublisherThreadData => ({
    brokers: parseBrokers(config.kafkaBrokers ?? process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'),
    clientId: 'sluice-edge',
    // Checked here, so that a bad setting fails the start rather than the thread; the thread gets the same settings.
    security: config.kafkaSecurity ?? kafkaSecurityFromEnv(process.env),
    topics: EDGE_DATASETS.map((dataset) => topicFor(dataset)),
    tunables: {
      spoolDir: dir,
      spoolMaxBytes: config.spool.maxBytes,
      durability: config.durability ?? 'async',
      ...(options.publisher?.sendTimeoutMs !== undefined ? { sendTimeoutMs: options.publisher.sendTimeoutMs } : {}),
      ...(options.publisher?.queueMaxRecords !== undefined ? { queueMaxRecords: options.publisher.queueMaxRecords } : {}),
    },
    log: { level: logger.level, bindings: { ...logger.bindings(), component: 'publisher' } },
  });
  // One process per spool directory: two publishers appending to one spool would corrupt it.
  const lock = await acquireSpoolLock(spoolDir, { waitMs: SPOOL_LOCK_WAIT_MS });
  let inner: RecordPublisher;
  try {
    inner = await startThreadedPublisher({ worker: KAFKA_PUBLISHER_THREAD, data: publisherData(spoolDir), durability: config.durability ?? 'async', logger: logger.child({ component: 'publisher' }) });
  } catch (error) {
    await lock.release();
    throw error;
  }
  // Worker 0 replays the spools of workers a larger run had (cluster/orphan-adoption.ts); its figures count as this worker's.
  const adoption =
    worker.index === 0
      ? startOrphanAdoption({
          root: config.spool.dir,
          workers: worker.count,
          logger: logger.child({ component: 'spool-adoption' }),
          startPublisher: (dir) => startThreadedPublisher({ worker: KAFKA_PUBLISHER_THREAD, data: publisherData(dir), durability: 'async', logger: logger.child({ component: 'publisher', spool: dir }) }),
        })
      : undefined;
  const publisher: RecordPublisher =
    adoption === undefined
      ? inner
      : {
          // `publish` is the inner publisher's own function: no extra call on the request path.
          ...inner,
          stats: () => {
            const adopted = adoption.stats();
            return adopted === undefined ? inner.stats() : (sumPublisherStats([inner.stats(), adopted]) ?? inner.stats());
          },
        };
  const tls = config.tls === undefined ? undefined : { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) };
  const gateway = createEdgeGateway({ config, verifier, publisher, logger, ...(tls !== undefined ? { tls } : {}), ...(options.loginTracker !== undefined ? { loginTracker: options.loginTracker } : {}) });
  let admin: AdminServer | undefined;
  let address: AddressInfo;
  try {
    address = await gateway.listen();
    admin = config.admin === undefined ? undefined : await startAdminServer(config.admin.host, config.admin.port, gateway.metrics, publisher);
  } catch (error) {
    await gateway.close(0);
    await adoption?.stop();
    await publisher.close();
    await lock.release();
    throw error;
  }
  logger.info({ address: `${address.address}:${address.port}`, apps: config.apps.map((a) => a.name), keys: keys.description, spool: spoolDir }, 'edge gateway listening');
  let stopping: Promise<void> | undefined;
  return {
    gateway,
    publisher,
    address,
    admin,
    stop: () =>
      (stopping ??= (async () => {
        await gateway.close();
        await admin?.close();
        await adoption?.stop();
        await publisher.close();
        await lock.release();
      })()),
  };
}
