// What the record publisher's parts share: collaborators, mode and counters, and the accounting of records still owed to Kafka.
import type { Logger } from '@sluice/logging';
import type { Backoff } from './backoff.js';
import type { DrainWaiters } from './drain-waiters.js';
import type { KafkaLink } from './kafka-link.js';
import type { MessageQueue } from './message-queue.js';
import type { OutageLog } from './outage-log.js';
import type { Pauses } from './pauses.js';
import type { PublishedMessage } from './published-message.js';
import type { PublisherSettings } from './publisher-settings.js';
import type { SequenceRuns } from './sequence-runs.js';
import type { Quarantine } from './sizing/quarantine-file.js';
import type { SizedSender } from './sizing/sized-sender.js';
import type { DiskSpool } from './spool/disk-spool.js';
import type { ThrottledWarning } from './throttled-warning.js';

export interface DirectBatch {
  readonly firstSeq: number;
  readonly messages: readonly PublishedMessage[];
  readonly acked: boolean[];
  /** `spool` once the spool has taken the batch over: whatever the send reports later changes nothing. */
  owner: 'kafka' | 'spool';
  readonly settled: Promise<void>;
  settle(): void;
}

/** A record with its publish sequence number (what `drained` counts by). */
export interface Numbered {
  readonly message: PublishedMessage;
  readonly seq: number;
}

export interface PublisherParts {
  readonly settings: PublisherSettings;
  readonly logger: Logger;
  readonly spool: DiskSpool;
  readonly link: KafkaLink;
  readonly sender: SizedSender;
  readonly quarantine: Quarantine;
  readonly queue: MessageQueue<PublishedMessage>;
  /** Sequence numbers of the records on the spool, oldest first. */
  readonly spooledSeqs: SequenceRuns;
  readonly backoff: Backoff;
  readonly outages: OutageLog;
  readonly pauses: Pauses;
  readonly waiters: DrainWaiters;
  readonly drops: ThrottledWarning;
  /** `durability: "sync"`: every record goes to the spool first. */
  readonly sync: boolean;
}

/** The publisher's mutable state, one object shared by its parts (direct-batches.ts, spooling.ts, publisher-shutdown.ts). */
export interface PublisherState extends PublisherParts {
  mode: 'direct' | 'spooling';
  /** Sequence number of the latest accepted publish; 0 stands for records recovered from disk. */
  lastSeq: number;
  published: number;
  spooled: number;
  replayed: number;
  inFlight: DirectBatch | undefined;
  lingerTimer: NodeJS.Timeout | undefined;
  replayer: Promise<void> | undefined;
  closed: boolean;
}

export function createPublisherState(parts: PublisherParts): PublisherState {
  // In sync mode the spool is the way to Kafka: spooling mode for good, the replayer sending as records come.
  const mode = parts.sync ? 'spooling' : 'direct';
  return { ...parts, mode, lastSeq: 0, published: 0, spooled: 0, replayed: 0, inFlight: undefined, lingerTimer: undefined, replayer: undefined, closed: false };
}

export function dropRecords(state: PublisherState, count: number, reason: string): void {
  state.drops.add(count, { reason, spoolBytes: state.spool.stats().bytes, spoolMaxBytes: state.settings.spoolMaxBytes });
}

/** The oldest sequence number not yet acknowledged (Infinity when none is owed). */
export function oldestOwed(state: PublisherState): number {
  let oldest = Number.POSITIVE_INFINITY;
  const { inFlight, queue } = state;
  if (inFlight !== undefined) {
    const index = inFlight.acked.indexOf(false);
    if (index >= 0) oldest = inFlight.firstSeq + index;
  }
  oldest = Math.min(oldest, state.spooledSeqs.first() ?? Number.POSITIVE_INFINITY);
  if (queue.length > 0) oldest = Math.min(oldest, state.lastSeq - queue.length + 1);
  return oldest;
}

export function settleWaiters(state: PublisherState): void {
  state.waiters.settle(() => oldestOwed(state), state.closed);
}

export function stopLinger(state: PublisherState): void {
  clearTimeout(state.lingerTimer);
  state.lingerTimer = undefined;
}

export function unackedOf(batch: DirectBatch): Numbered[] {
  return batch.messages.flatMap((message, i) => (batch.acked[i] ? [] : [{ message, seq: batch.firstSeq + i }]));
}
