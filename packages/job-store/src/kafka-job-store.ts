// The JobStore on Kafka: a compacted jobs topic read into memory by every instance, ids from Kafka offsets.
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@sluice/logging';
import type { CustomFieldsDocument } from '@sluice/pipeline';
import type { JobStore, StoreEvent, StoreListener, StoredJob } from './job-store.js';
import { JobStoreError } from './job-store-error.js';
import { DEFAULT_JOB_STORE_TOPICS, jobIdsTopicSpec, jobsTopicSpec } from './topics.js';
import type { JobStoreTopics } from './topics.js';
import { customFieldsKey, customFieldsProblem, decodeStoreRecord, jobKey, storedJobProblem } from './store-records.js';
import { openStore } from './store-producer.js';
import type { StoreMessage, StoreProducer } from './store-producer.js';
import { createTopicView } from './topic-view.js';
import type { ViewRecord } from './topic-view.js';
import { allocateJobId } from './job-id-allocator.js';
import type { JobIdAllocatorOptions } from './job-id-allocator.js';

export interface KafkaJobStoreOptions {
  kafka: Kafka;
  logger: Logger;
  /** Names this instance in its view's consumer group and its id claims (default: 12 random hex digits). */
  instanceId?: string;
  /** Topic names (default `sluice.jobs` and `sluice.job-ids`); tests use their own. */
  topics?: Partial<JobStoreTopics>;
  /** How long a write or ready() waits for the view to catch up before JOB_STORE_BEHIND (default 30 s). */
  waitTimeoutMs?: number;
  idAllocation?: JobIdAllocatorOptions;
}

const ZONE_ID = /^[0-9a-f]{32}$/;

/**
 * Creates the topics when missing and starts reading at once; `ready()` resolves when the view has
 * caught up (or rejects with why it cannot). Every write resolves only once this instance's view
 * has applied it, so a reader of the same instance sees its own writes.
 */
export function createKafkaJobStore(options: KafkaJobStoreOptions): JobStore {
  const { kafka } = options;
  const topics: JobStoreTopics = { ...DEFAULT_JOB_STORE_TOPICS, ...options.topics };
  const instanceId = options.instanceId ?? randomBytes(6).toString('hex');
  const log = options.logger.child({ component: 'job-store', instance: instanceId });
  const jobs = new Map<number, StoredJob>();
  const fields = new Map<string, CustomFieldsDocument>();
  const listeners = new Set<StoreListener>();
  /** Every job id a record has named, deletions and corrupt values included: ids are never handed out twice. */
  let highestIdSeen = 0;
  let closed = false;
  let closing: Promise<void> | undefined;

  const emit = (event: StoreEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log.error({ err: error }, 'a store listener threw');
      }
    }
  };

  function apply(record: ViewRecord): void {
    const decoded = decodeStoreRecord(record.key, record.value);
    if (!decoded.ok) {
      if (decoded.id !== undefined) highestIdSeen = Math.max(highestIdSeen, decoded.id);
      log.warn({ topic: topics.jobs, partition: record.partition, offset: record.offset, reason: decoded.reason }, 'corrupt record in the job store; skipped');
      return;
    }
    const { event } = decoded;
    if (event.type === 'job') {
      highestIdSeen = Math.max(highestIdSeen, event.id);
      if (event.job === null) {
        if (!jobs.delete(event.id)) return;
      } else {
        jobs.set(event.id, event.job);
      }
    } else if (event.fields === null) {
      if (!fields.delete(event.zoneId)) return;
    } else {
      fields.set(event.zoneId, event.fields);
    }
    emit(event);
  }

  const view = createTopicView({
    kafka,
    topic: topics.jobs,
    groupId: `sluice-view-${topics.jobs}-${instanceId}`,
    logger: log,
    apply,
    ...(options.waitTimeoutMs !== undefined ? { waitTimeoutMs: options.waitTimeoutMs } : {}),
  });

  const started: Promise<StoreProducer> = openStore(kafka, [jobsTopicSpec(topics.jobs), jobIdsTopicSpec(topics.jobIds)], view);
  // Callers see a start failure through ready() and every write; this keeps it from being "unhandled".
  started.catch((error: unknown) => log.error({ err: error }, 'job store did not start'));

  async function producerFor(action: string): Promise<StoreProducer> {
    if (closed) throw new JobStoreError('JOB_STORE_CLOSED', `cannot ${action}: the job store is closed`);
    return started;
  }

  /** Appends one record to the jobs topic and waits until this instance's view has applied it. */
  async function write(action: string, message: StoreMessage): Promise<void> {
    const producer = await producerFor(action);
    const offset = await producer.append(topics.jobs, [message]);
    await view.applied(0, offset);
  }

  return {
    async ready() {
      await producerFor('read');
      await view.caughtUp();
    },
    jobs: () => jobs,
    customFields: () => fields,
    async nextJobId() {
      const producer = await producerFor('allocate a job id');
      // The view must hold every job already written, so that the id is above all of them.
      await view.caughtUp();
      const claim = JSON.stringify({ instance: instanceId, at: new Date().toISOString() });
      const id = await allocateJobId(
        { append: (count) => producer.append(topics.jobIds, Array.from({ length: count }, (_, i) => ({ key: null, value: i === 0 ? claim : null }))) },
        () => highestIdSeen,
        options.idAllocation,
      );
      return id;
    },
    async putJob(job) {
      const problem = storedJobProblem(job, job.id);
      if (problem !== undefined) throw new JobStoreError('JOB_STORE_INVALID_VALUE', `job ${job.id} is not valid: ${problem}`);
      await write(`write job ${job.id}`, { key: jobKey(job.id), value: JSON.stringify(job) });
    },
    async deleteJob(id) {
      await write(`delete job ${id}`, { key: jobKey(id), value: null });
    },
    async putCustomFields(zoneId, document) {
      if (!ZONE_ID.test(zoneId)) throw new JobStoreError('JOB_STORE_INVALID_VALUE', `${JSON.stringify(zoneId)} is not a zone id (32 lowercase hex characters)`);
      const problem = document === null ? undefined : customFieldsProblem(document);
      if (problem !== undefined) throw new JobStoreError('JOB_STORE_INVALID_VALUE', `custom fields of zone ${zoneId} are not valid: ${problem}`);
      await write(`write custom fields of zone ${zoneId}`, { key: customFieldsKey(zoneId), value: document === null ? null : JSON.stringify(document) });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      closed = true;
      listeners.clear();
      closing ??= (async () => {
        const producer = await started.catch(() => undefined);
        await view.close();
        await producer?.close();
      })();
      return closing;
    },
  };
}
