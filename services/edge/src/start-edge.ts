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

export interface StartEdgeOptions {
  readonly config: EdgeConfig;
  readonly logger: Logger;
  /** Publisher knobs for tests; production uses the defaults. */
  readonly publisher?: { readonly sendTimeoutMs?: number; readonly queueMaxRecords?: number };
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

export async function startEdge(options: StartEdgeOptions): Promise<RunningEdge> {
  const { config, logger } = options;
  const keys = await createJwksKeySource(config.identity.jwks);
  const verifier = createTokenVerifier({
    keys,
    issuer: config.identity.issuer,
    leewaySeconds: config.identity.leewaySeconds,
    groupsClaim: config.identity.groupsClaim,
    connectionClaim: config.identity.connectionClaim,
  });
  // Kafka and the spool run on a thread of their own (publish/thread/): their work never delays a request.
  const data: KafkaPublisherThreadData = {
    brokers: parseBrokers(config.kafkaBrokers ?? process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'),
    clientId: 'sluice-edge',
    // Checked here, so that a bad setting fails the start rather than the thread; the thread gets the same settings.
    security: config.kafkaSecurity ?? kafkaSecurityFromEnv(process.env),
    topics: EDGE_DATASETS.map((dataset) => topicFor(dataset)),
    tunables: {
      spoolDir: config.spool.dir,
      spoolMaxBytes: config.spool.maxBytes,
      durability: config.durability ?? 'async',
      ...(options.publisher?.sendTimeoutMs !== undefined ? { sendTimeoutMs: options.publisher.sendTimeoutMs } : {}),
      ...(options.publisher?.queueMaxRecords !== undefined ? { queueMaxRecords: options.publisher.queueMaxRecords } : {}),
    },
    log: { level: logger.level, bindings: { ...logger.bindings(), component: 'publisher' } },
  };
  const publisher = await startThreadedPublisher({ worker: KAFKA_PUBLISHER_THREAD, data, durability: config.durability ?? 'async', logger: logger.child({ component: 'publisher' }) });
  const tls = config.tls === undefined ? undefined : { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) };
  const gateway = createEdgeGateway({ config, verifier, publisher, logger, ...(tls !== undefined ? { tls } : {}) });
  let admin: AdminServer | undefined;
  let address: AddressInfo;
  try {
    address = await gateway.listen();
    admin = config.admin === undefined ? undefined : await startAdminServer(config.admin.host, config.admin.port, gateway.metrics, publisher);
  } catch (error) {
    await gateway.close(0);
    await publisher.close();
    throw error;
  }
  logger.info({ address: `${address.address}:${address.port}`, apps: config.apps.map((a) => a.name), keys: keys.description, spool: config.spool.dir }, 'edge gateway listening');
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
        await publisher.close();
      })()),
  };
}
