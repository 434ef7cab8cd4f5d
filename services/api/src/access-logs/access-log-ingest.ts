// Fills the access-log index from sluice.access_requests: no group offsets, the index's own positions say where to resume.
import type { Consumer, Kafka } from 'kafkajs';
import { ACCESS_REQUESTS_TOPIC, accessTopicConfig, alignTopicConfig, DEFAULT_ACCESS_RETENTION, DEFAULT_DATASET_PARTITIONS, ensureTopics, untilKafkaSettles } from '@sluice/kafka';
import type { AccessRetention } from '@sluice/kafka';
import type { Logger } from '@sluice/logging';
import { createRecordDecoder } from '@sluice/schemas';
import { eventFromRecord } from './access-log-event.js';
import type { AccessLogEvent } from './access-log-event.js';
import type { AccessLogStore } from './access-log-store.js';
import { watchCatchUp } from './catch-up-watch.js';

export interface AccessLogIngestOptions {
  kafka: Kafka;
  store: AccessLogStore;
  logger: Logger;
  /** Default `sluice.access_requests`. */
  topic?: string;
  /** The topic's `retention.ms` is set to match (the longer of the two), whoever created it. */
  retention?: AccessRetention;
  /** kafkajs has no group-less consumer: a throwaway group that never commits, deleted on close. Default `sluice-access-index-<pid>-<ms>`. */
  groupId?: string;
  /** How long caughtUp() waits without the index reading anything (a large topic may take longer in all); default 60 s. */
  waitTimeoutMs?: number;
}

export interface AccessLogIngest {
  start(): Promise<void>;
  /** Resolves once the index holds every record the topic held when this was called. */
  caughtUp(): Promise<void>;
  stats(): { readonly stored: number; readonly undecodable: number };
  close(): Promise<void>;
}

export class AccessLogIngestError extends Error {
  readonly retriable = true;
  constructor(
    readonly code: 'ACCESS_INDEX_BEHIND' | 'ACCESS_INDEX_UNAVAILABLE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AccessLogIngestError';
  }
}

/** Undecodable records are counted; one log line per this many. */
const UNDECODABLE_LOG_EVERY = 1_000;

export function startAccessLogIngest(options: AccessLogIngestOptions): AccessLogIngest {
  const { kafka, store } = options;
  const topic = options.topic ?? ACCESS_REQUESTS_TOPIC;
  const groupId = options.groupId ?? `sluice-access-index-${process.pid}-${Date.now()}`;
  const log = options.logger.child({ component: 'access-index', topic, group: groupId });
  const waitTimeoutMs = options.waitTimeoutMs ?? 60_000;
  const decode = createRecordDecoder('access_requests');
  const positions = new Map<number, number>(store.positions());
  const waiters = new Set<() => void>();
  let consumer: Consumer | undefined;
  let closing: Promise<void> | undefined;
  let stored = 0;
  let undecodable = 0;

  const seekToPositions = (): void => {
    for (const [partition, offset] of positions) {
      try {
        consumer?.seek({ topic, partition, offset: String(offset) });
      } catch (error) {
        // Only a speed-up: records before the position are skipped as they arrive anyway.
        log.debug({ err: error, partition }, 'seek not applied');
      }
    }
  };

  const apply = (partition: number, messages: readonly { offset: string; value: Buffer | null }[]): void => {
    const from = positions.get(partition) ?? 0;
    const events: AccessLogEvent[] = [];
    let next = from;
    for (const message of messages) {
      const offset = Number(message.offset);
      if (offset < from) continue;
      next = offset + 1;
      const decoded = message.value === null ? undefined : decode(message.value);
      const event = decoded?.ok === true ? eventFromRecord(decoded.record) : undefined;
      if (event !== undefined) events.push(event);
      else if (++undecodable % UNDECODABLE_LOG_EVERY === 1) {
        log.warn({ partition, offset, undecodable, reason: decoded?.ok === false ? decoded.code : 'no account or time' }, 'access_requests record not indexed');
      }
    }
    if (next === from) return;
    stored += store.add(events, [{ partition, nextOffset: next }]);
    positions.set(partition, next);
    for (const wake of waiters) wake();
  };

  const reachedAll = (ends: ReadonlyMap<number, number>): boolean => [...ends].every(([partition, high]) => (positions.get(partition) ?? 0) >= high);

  return {
    async start() {
      const admin = kafka.admin();
      try {
        const topicConfig = accessTopicConfig(options.retention ?? DEFAULT_ACCESS_RETENTION);
        await untilKafkaSettles(() => ensureTopics(kafka, [{ topic, numPartitions: DEFAULT_DATASET_PARTITIONS, config: topicConfig }]));
        // A topic made by another process, or before the retention flags changed, is brought to match them.
        const changed = await alignTopicConfig(kafka, topic, topicConfig).catch((error: unknown) => {
          log.warn({ err: error }, 'the access topic\'s retention was not set');
          return [];
        });
        if (changed.length > 0) log.info({ changed }, 'access topic settings set to match the retention');
        await admin.connect();
        const ends = await untilKafkaSettles(() => admin.fetchTopicOffsets(topic));
        // Positions beyond a partition's end: the topic was deleted and created again; its records are all new.
        if (ends.some((end) => (positions.get(end.partition) ?? 0) > Number(end.high))) {
          log.warn('the index was ahead of the topic (recreated?); rebuilding it from the start');
          store.clear();
          positions.clear();
        }
        consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
        consumer.on(consumer.events.CRASH, (event) => log.error({ err: event.payload.error, restart: event.payload.restart }, 'access index reader crashed'));
        consumer.on(consumer.events.GROUP_JOIN, () => seekToPositions());
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatch: ({ batch }) => {
            apply(batch.partition, batch.messages);
            return Promise.resolve();
          },
        });
        seekToPositions();
        log.info({ resumedFrom: Object.fromEntries(positions), events: store.size() }, 'access index reading');
      } catch (error) {
        throw new AccessLogIngestError('ACCESS_INDEX_UNAVAILABLE', `cannot read ${topic}: ${(error as Error).message}`, { cause: error });
      } finally {
        await admin.disconnect();
      }
    },
    async caughtUp() {
      const admin = kafka.admin();
      let ends: Map<number, number>;
      try {
        await admin.connect();
        ends = new Map((await untilKafkaSettles(() => admin.fetchTopicOffsets(topic))).filter((end) => Number(end.high) > Number(end.low)).map((end) => [end.partition, Number(end.high)]));
      } catch (error) {
        throw new AccessLogIngestError('ACCESS_INDEX_UNAVAILABLE', `cannot read the end of ${topic}: ${(error as Error).message}`, { cause: error });
      } finally {
        await admin.disconnect();
      }
      if (reachedAll(ends)) return;
      const watch = watchCatchUp({
        reached: () => reachedAll(ends),
        progress: () => [...positions.values()].reduce((sum, next) => sum + next, 0),
        stallMs: waitTimeoutMs,
        stalled: () => {
          const behind = [...ends].filter(([p, high]) => (positions.get(p) ?? 0) < high).map(([p, high]) => `p${p} ${positions.get(p) ?? 0}/${high}`);
          return new AccessLogIngestError('ACCESS_INDEX_BEHIND', `the access index read nothing from ${topic} for ${waitTimeoutMs} ms while behind (${behind.join(', ')})`);
        },
      });
      waiters.add(watch.check);
      try {
        await watch.done;
      } finally {
        waiters.delete(watch.check);
      }
    },
    stats: () => ({ stored, undecodable }),
    close() {
      closing ??= (async () => {
        await consumer?.disconnect();
        const admin = kafka.admin();
        try {
          await admin.connect();
          // The group committed nothing; deleting it keeps `kafka-consumer-groups --list` tidy.
          await admin.deleteGroups([groupId]);
        } catch (error) {
          log.debug({ err: error }, 'access index group not deleted');
        } finally {
          await admin.disconnect();
        }
      })();
      return closing;
    },
  };
}
