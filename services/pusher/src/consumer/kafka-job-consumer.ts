// The JobConsumer over kafkajs: one consumer group per job, restarted with backoff whenever kafkajs gives up on it.
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { CONSUMER_FETCH_SETTINGS, seedGroupOffsets } from '@sluice/kafka';
import { nextDelayMs } from '@sluice/destinations';
import type { RetryPolicy } from '@sluice/destinations';
import type { PositionLog } from '@sluice/kafka';
import type { CommittedOffset, ConsumerHandlers, JobConsumer, OffsetCommit } from './job-consumer.js';
import { codedError } from '../pusher-errors.js';
import { gatheringAssigners } from './gathering-assigner.js';
import type { GatheringOptions } from './gathering-assigner.js';

export interface KafkaJobConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  jobId: number;
  /** Where a job whose group offsets expired resumes from; without it such a job starts as a new one. */
  positions?: PositionLog;
  /** Backoff between restarts of a consumer that crashed for good. */
  restartPolicy: RetryPolicy;
  /**
   * How long the group waits for a member that stopped heartbeating (a killed worker) before its
   * partitions move (default kafkajs's 30 s; the broker's minimum is usually 6 s). Heartbeats go
   * at a third of it.
   */
  sessionTimeoutMs?: number;
  /** Hold partitions back until this many members have joined (the threads of a threaded pusher), for at most `holdMs`. */
  gather?: GatheringOptions;
  random?: () => number;
}

/** What kafkajs's setOffsets says when the group has members: only an empty group's offsets can be set. */
const GROUP_ACTIVE = /must have no running instances/;

/** kafkajs restarts a consumer by itself after retriable errors; after the others it stays down unless told otherwise. */
export function createKafkaJobConsumer(options: KafkaJobConsumerOptions): JobConsumer {
  const { kafka, groupId, topic } = options;
  let consumer: Consumer | undefined;
  let admin: Admin | undefined;
  let handlers: ConsumerHandlers | undefined;
  let running = false;
  let stopped = false;
  let crashes = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  // kafkajs resolves commitOffsets without committing when its runner has stopped; a commit counts only if its event fired.
  let commitsSeen = 0;

  async function launch(): Promise<void> {
    const h = handlers;
    if (!h || stopped) return;
    const session = options.sessionTimeoutMs === undefined ? {} : { sessionTimeout: options.sessionTimeoutMs, heartbeatInterval: Math.floor(options.sessionTimeoutMs / 3) };
    const assigners = options.gather && options.gather.members > 1 ? { partitionAssigners: gatheringAssigners(options.gather) } : {};
    const next = kafka.consumer({ groupId, allowAutoTopicCreation: false, ...CONSUMER_FETCH_SETTINGS, ...session, ...assigners });
    consumer = next;
    next.on(next.events.GROUP_JOIN, (event) => {
      running = true;
      crashes = 0;
      h.assigned(event.payload.memberAssignment[topic] ?? []);
    });
    next.on(next.events.REBALANCING, () => h.revoked());
    next.on(next.events.COMMIT_OFFSETS, () => commitsSeen++);
    next.on(next.events.CRASH, (event) => {
      running = false;
      h.revoked();
      const error = event.payload.error;
      if (event.payload.restart) {
        h.crashed(error, 0);
        return;
      }
      // Non-retriable causes leave kafkajs's consumer down: start a new one, later and later.
      const delayMs = nextDelayMs(++crashes, options.restartPolicy, undefined, options.random);
      h.crashed(error, delayMs);
      restartTimer = setTimeout(() => void relaunch(), delayMs);
    });
    await next.connect();
    await next.subscribe({ topic, fromBeginning: true });
    await next.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async (payload) => {
      const { batch } = payload;
      const partition = batch.partition;
      await h.eachBatch({
        partition,
        messages: batch.messages,
        highWatermark: Number(batch.highWatermark),
        resolveOffset: (offset) => payload.resolveOffset(offset),
        heartbeat: () => payload.heartbeat(),
        isLive: () => running && !stopped && payload.isRunning() && !payload.isStale(),
      });
    } });
  }

  async function relaunch(): Promise<void> {
    const old = consumer;
    consumer = undefined;
    await old?.disconnect().catch(() => undefined);
    try {
      await launch();
    } catch (error) {
      handlers?.crashed(error as Error, 0);
    }
  }

  async function adminClient(): Promise<Admin> {
    if (!admin) {
      const next = kafka.admin();
      await next.connect();
      admin = next;
    }
    return admin;
  }

  return {
    async seed(seed) {
      const { positions } = options;
      const admin = await adminClient();
      try {
        return await seedGroupOffsets(admin, groupId, topic, {
          ...seed,
          ...(positions ? { recorded: () => positions.read(options.jobId, topic) } : {}),
        });
      } catch (error) {
        // Another member starting at the same moment (a pusher thread or process) seeded the group and joined it between
        // our look at its offsets and our write. Its seed is the one this member would have written: nothing is left to do.
        if (!GROUP_ACTIVE.test((error as Error).message)) throw error;
        const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const partitions = entry?.partitions ?? [];
        const seededByAnother = partitions.length > 0 && partitions.every((p) => Number(p.offset) >= 0);
        if (!seededByAnother) throw error;
        return [];
      }
    },
    async restart() {
      handlers?.revoked();
      running = false;
      await relaunch();
    },
    async start(h) {
      handlers = h;
      await launch();
    },
    async committed(): Promise<CommittedOffset[]> {
      const [entry] = await (await adminClient()).fetchOffsets({ groupId, topics: [topic] });
      return (entry?.partitions ?? []).map((p) => ({ partition: p.partition, offset: Number(p.offset), metadata: p.metadata ?? null }));
    },
    async commit(offsets: readonly OffsetCommit[]) {
      if (!consumer || !running || stopped) throw codedError('COMMIT_NOT_RUNNING', 'the consumer is not in a group generation now');
      const seen = commitsSeen;
      await consumer.commitOffsets(offsets.map((o) => ({ topic, partition: o.partition, offset: String(o.offset), metadata: o.metadata })));
      if (commitsSeen === seen) throw codedError('COMMIT_NOT_RUNNING', 'the consumer stopped before the commit was sent');
    },
    pause() {
      try {
        consumer?.pause([{ topic }]);
      } catch {
        // Not running yet (start failed before run): there is nothing to pause.
      }
    },
    async stop() {
      stopped = true;
      running = false;
      clearTimeout(restartTimer);
      await consumer?.disconnect().catch(() => undefined);
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
