// Assembles a running gateway from its configuration: keys, verifier, Kafka publisher with its spool, listeners.
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Kafka } from 'kafkajs';
import { createKafkaClient, createRecordProducer, DEFAULT_DATASET_PARTITIONS, ensureTopics, parseBrokers } from '@sluice/kafka';
import type { Logger } from '@sluice/logging';
import { topicFor } from '@sluice/schemas';
import type { EdgeConfig } from './config/edge-config.js';
import { createJwksKeySource } from './identity/jwks-key-source.js';
import { createTokenVerifier } from './identity/token-verifier.js';
import { createKafkaPresenceCheck } from './publish/kafka-presence.js';
import { createRecordPublisher } from './publish/record-publisher.js';
import type { RecordPublisher } from './publish/record-publisher.js';
import { startAdminServer } from './gateway/admin-server.js';
import type { AdminServer } from './gateway/admin-server.js';
import { createEdgeGateway } from './gateway/edge-gateway.js';
import type { EdgeGateway } from './gateway/edge-gateway.js';

export interface StartEdgeOptions {
  readonly config: EdgeConfig;
  readonly logger: Logger;
  /** Overrides `config.kafka.brokers` and KAFKA_BROKERS (tests). */
  readonly kafka?: Kafka;
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
  const kafka =
    options.kafka ??
    createKafkaClient({
      brokers: parseBrokers(config.kafkaBrokers ?? process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'),
      clientId: 'sluice-edge',
      logger,
      // Few reconnects: while Kafka is away the spool holds records, and the publisher keeps probing.
      retry: { retries: 2, maxRetryTimeMs: 1_000 },
    });
  let topicsReady = false;
  const publisher = await createRecordPublisher({
    connect: async () => {
      if (!topicsReady) {
        await ensureTopics(kafka, EDGE_DATASETS.map((dataset) => ({ topic: topicFor(dataset), numPartitions: DEFAULT_DATASET_PARTITIONS })));
        topicsReady = true;
      }
      // RayIDs only spread records: a send is kept whole on one partition, which costs kafkajs and the broker far less.
      return createRecordProducer(kafka, { retries: 2, maxRetryTimeMs: 1_000, partitioning: 'send' });
    },
    presence: createKafkaPresenceCheck(kafka),
    spoolDir: config.spool.dir,
    spoolMaxBytes: config.spool.maxBytes,
    logger: logger.child({ component: 'publisher' }),
    ...(options.publisher?.sendTimeoutMs !== undefined ? { sendTimeoutMs: options.publisher.sendTimeoutMs } : {}),
    ...(options.publisher?.queueMaxRecords !== undefined ? { queueMaxRecords: options.publisher.queueMaxRecords } : {}),
  });
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
