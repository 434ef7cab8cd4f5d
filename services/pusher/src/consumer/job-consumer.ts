// The job's view of its Kafka consumer: batches per partition, assignments, commits with metadata. Fakes implement it in tests.
import type { StageMessage } from '@sluice/pipeline';
import type { SeededOffset, StartFrom } from '@sluice/kafka';

export interface ConsumedMessage extends StageMessage {
  /** Kafka's decimal offset. */
  offset: string;
  /** The record's Kafka timestamp (ms since the epoch, decimal). */
  timestamp: string;
}

/** One fetch's messages of one partition, in offset order. */
export interface PartitionBatch {
  partition: number;
  messages: readonly ConsumedMessage[];
  /** The partition's end (the offset its next record will get) when this fetch was answered. */
  highWatermark: number;
  /** Marks a message as processed (kafkajs resumes the next fetch after it). */
  resolveOffset: (offset: string) => void;
  heartbeat: () => Promise<void>;
  /** False once the consumer stops or the batch's generation is over: stop processing it. */
  isLive: () => boolean;
}

/** A partition's committed position: `offset` -1 when the group has none. */
export interface CommittedOffset {
  partition: number;
  offset: number;
  metadata: string | null;
}

export interface OffsetCommit {
  partition: number;
  offset: number;
  metadata: string;
}

export interface ConsumerHandlers {
  eachBatch(batch: PartitionBatch): Promise<void>;
  /** This member joined a new generation of the group and owns `partitions` now. */
  assigned(partitions: readonly number[]): void;
  /** The group is rebalancing (or the consumer crashed): the current assignment may be gone. Nothing is committed until `assigned`. */
  revoked(): void;
  /** The consumer failed; `restartInMs` says when it is started again. */
  crashed(error: Error, restartInMs: number): void;
}

export interface JobConsumer {
  /**
   * Gives partitions without a committed offset a starting position (the job's last recorded
   * position, `startFrom`, the earliest record, or now for a new job) and commits it; returns what it seeded and why.
   */
  seed(options: { startFrom?: StartFrom; now: Date }): Promise<SeededOffset[]>;
  /** Joins the group and starts fetching; resolves once running. */
  start(handlers: ConsumerHandlers): Promise<void>;
  /** The group's committed offsets (with metadata) on the job's topic. */
  committed(): Promise<CommittedOffset[]>;
  /** Commits in the generation the consumer is in now; rejects when the group has moved on. */
  commit(offsets: readonly OffsetCommit[]): Promise<void>;
  /** Leaves the generation and joins again: every partition is read again from its commit. */
  restart(): Promise<void>;
  /** Stops fetching (stop() follows). */
  pause(): void;
  /** Leaves the group and disconnects. */
  stop(): Promise<void>;
}

