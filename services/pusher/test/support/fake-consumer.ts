// A JobConsumer without Kafka: the test hands it fetches, moves partitions, crashes it, and reads what was committed.
import type { CommittedOffset, ConsumedMessage, ConsumerHandlers, JobConsumer, OffsetCommit } from '../../src/consumer/job-consumer.js';

export interface FakeConsumer extends JobConsumer {
  /** Every commit sent, in order, as the broker received it. */
  readonly commits: OffsetCommit[][];
  /** What the group has committed now, per partition. */
  readonly group: Map<number, { offset: number; metadata: string | null }>;
  /** A new generation in which this member owns `partitions`. */
  assign(partitions: number[]): void;
  /** The group starts rebalancing: commits fail until the next assign. */
  rebalance(): void;
  crash(error: Error, restartInMs: number): void;
  /** One fetch of one partition, the partition ending where the fetch does unless `highWatermark` says; resolves when the runner has processed it. */
  fetch(partition: number, messages: ConsumedMessage[], highWatermark?: number): Promise<void>;
  /** Makes the next `n` commits fail. */
  failCommits(n: number): void;
  /** Holds every commit until the returned function is called (a slow coordinator). */
  holdCommits(): () => void;
  readonly restarts: number;
}

export function createFakeConsumer(): FakeConsumer {
  let handlers: ConsumerHandlers | undefined;
  let live = false;
  let failing = 0;
  let restarts = 0;
  let held: Promise<void> | undefined;
  let generation = 0;
  const commits: OffsetCommit[][] = [];
  const group = new Map<number, { offset: number; metadata: string | null }>();
  const h = (): ConsumerHandlers => {
    if (!handlers) throw new Error('the runner has not started the consumer');
    return handlers;
  };
  return {
    commits,
    group,
    get restarts() {
      return restarts;
    },
    seed: () => Promise.resolve([]),
    start(next) {
      handlers = next;
      return Promise.resolve();
    },
    committed(): Promise<CommittedOffset[]> {
      return Promise.resolve([...group].map(([partition, c]) => ({ partition, offset: c.offset, metadata: c.metadata })));
    },
    async commit(offsets) {
      // A request carries the generation it was sent in; the broker refuses it once the group moved on.
      const sentIn = generation;
      if (held) await held;
      if (sentIn !== generation) throw Object.assign(new Error('illegal generation'), { type: 'ILLEGAL_GENERATION' });
      if (!live) throw Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
      if (failing > 0) {
        failing--;
        throw Object.assign(new Error('coordinator not available'), { type: 'COORDINATOR_NOT_AVAILABLE' });
      }
      commits.push([...offsets]);
      for (const o of offsets) group.set(o.partition, { offset: o.offset, metadata: o.metadata });
    },
    restart() {
      restarts++;
      return Promise.resolve();
    },
    pause: () => undefined,
    stop: () => {
      live = false;
      return Promise.resolve();
    },
    assign(partitions) {
      live = true;
      generation++;
      h().assigned(partitions);
    },
    rebalance() {
      live = false;
      h().revoked();
    },
    crash(error, restartInMs) {
      live = false;
      h().revoked();
      h().crashed(error, restartInMs);
    },
    failCommits(n) {
      failing = n;
    },
    holdCommits() {
      let release: () => void = () => undefined;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    async fetch(partition, messages, highWatermark) {
      let generationLive = true;
      const batch = {
        partition,
        messages,
        highWatermark: highWatermark ?? Number(messages[messages.length - 1]?.offset ?? -1) + 1,
        resolveOffset: () => undefined,
        heartbeat: () => Promise.resolve(),
        isLive: () => live && generationLive,
      };
      await h().eachBatch(batch);
      generationLive = false;
    },
  };
}
