// The HealthStore on Kafka: workers append each job's latest health to a compacted topic; every instance reads it all.
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@sluice/logging';
import type { HealthStore, JobHealth } from './job-store.js';
import { JobStoreError } from './job-store-error.js';
import { JOB_HEALTH_TOPIC, jobHealthTopicSpec } from './topics.js';
import { decodeHealthRecord, healthKey } from './health-records.js';
import { openStore } from './store-producer.js';
import type { StoreProducer } from './store-producer.js';
import { createTopicView } from './topic-view.js';
import type { ViewRecord } from './topic-view.js';

export interface KafkaHealthStoreOptions {
  kafka: Kafka;
  logger: Logger;
  /** Names this instance in its view's consumer group (default: 12 random hex digits). */
  instanceId?: string;
  /** Topic name (default `sluice.job-health`); tests use their own. */
  topic?: string;
  /** How long publish() and ready() wait for the view before JOB_STORE_BEHIND (default 30 s). */
  waitTimeoutMs?: number;
}

/** The HealthStore, plus a way to wait until it holds every report already written. */
export interface KafkaHealthStore extends HealthStore {
  ready(): Promise<void>;
}

export function createKafkaHealthStore(options: KafkaHealthStoreOptions): KafkaHealthStore {
  const { kafka } = options;
  const topic = options.topic ?? JOB_HEALTH_TOPIC;
  const instanceId = options.instanceId ?? randomBytes(6).toString('hex');
  const log = options.logger.child({ component: 'health-store', instance: instanceId });
  const latest = new Map<number, JobHealth>();
  let closed = false;
  let closing: Promise<void> | undefined;

  function apply(record: ViewRecord): void {
    const decoded = decodeHealthRecord(record.key, record.value);
    if (!decoded.ok) {
      log.warn({ topic, partition: record.partition, offset: record.offset, reason: decoded.reason }, 'corrupt record in the health store; skipped');
      return;
    }
    if (decoded.health === null) latest.delete(decoded.id);
    else latest.set(decoded.id, decoded.health);
  }

  const view = createTopicView({
    kafka,
    topic,
    groupId: `sluice-view-${topic}-${instanceId}`,
    logger: log,
    apply,
    ...(options.waitTimeoutMs !== undefined ? { waitTimeoutMs: options.waitTimeoutMs } : {}),
  });

  const started: Promise<StoreProducer> = openStore(kafka, [jobHealthTopicSpec(topic)], view);
  started.catch((error: unknown) => log.error({ err: error }, 'health store did not start'));

  async function producer(): Promise<StoreProducer> {
    if (closed) throw new JobStoreError('JOB_STORE_CLOSED', 'the health store is closed');
    return started;
  }

  return {
    async ready() {
      await producer();
      await view.caughtUp();
    },
    async publish(reports) {
      if (reports.length === 0) return;
      const writer = await producer();
      const offset = await writer.append(
        topic,
        reports.map((report) => ({ key: healthKey(report.id), value: JSON.stringify(report) })),
      );
      await view.applied(0, offset);
    },
    health: () => latest,
    close() {
      closed = true;
      closing ??= (async () => {
        const writer = await started.catch(() => undefined);
        await view.close();
        await writer?.close();
      })();
      return closing;
    },
  };
}
