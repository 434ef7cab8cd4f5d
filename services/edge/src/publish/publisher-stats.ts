// The publisher's figures: what became of the records so far, and what the spool holds now.
import type { SpoolStats } from './spool/disk-spool.js';
import type { SendTimings } from './send-timing.js';

export interface PublisherStats {
  /** Acknowledged by Kafka (direct and replayed). */
  readonly published: number;
  /** Ever written to the spool. */
  readonly spooled: number;
  /** Sent to Kafka from the spool. */
  readonly replayed: number;
  /** Refused because the spool was full (or the publisher closed): the only loss under our control. */
  readonly dropped: number;
  /** Sent to Kafka with long strings cut, being too large for it whole (also counted in `published`). Absent: none. */
  readonly truncated?: number;
  /** Set aside in the spool directory's quarantine file: too large even truncated, or refused by Kafka for their content. Absent: none. */
  readonly quarantined?: number;
  /** In memory now, not yet sent. */
  readonly queued: number;
  /** On disk now. */
  readonly spoolBytes: number;
  /** On disk now, not yet replayed. */
  readonly spoolRecords: number;
  /** `sync`: `durability: "sync"`, where every record goes through the spool (mode stays `spooling`). Absent: async. */
  readonly durability?: 'sync';
  readonly mode: 'direct' | 'spooling';
  /** Async: the last connect or send succeeded. Sync: that, and the replayer keeps up (kafka-health.ts). */
  readonly kafkaHealthy: boolean;
  /** What the disk took: found by recovery or replay, or lost in a failed write. All zero normally. */
  readonly spoolDamage: SpoolDamageStats;
  /** How long Kafka took to answer each send since start. Absent: no figures (a publisher from before, a test's). */
  readonly sendSeconds?: SendTimings;
}

export interface SpoolDamageStats {
  /** Stretches of damaged bytes skipped or moved aside as `<segment>.corrupt`. */
  readonly corruptRegions: number;
  readonly corruptBytes: number;
  /** Bytes of entries cut off by a crash mid-write, truncated at start-up. */
  readonly truncatedBytes: number;
  /** Records lost because a spool write failed (e.g. disk full). */
  readonly writeFailedRecords: number;
  /** Records known to have been in damaged stretches found during replay. */
  readonly damagedRecords: number;
}

/** The publisher's own counters; the spool's figures come from the spool. */
export type PublisherCounters = Omit<PublisherStats, 'spoolBytes' | 'spoolRecords' | 'spoolDamage'>;

export function publisherStats(counters: PublisherCounters, disk: SpoolStats): PublisherStats {
  return {
    ...counters,
    spoolBytes: disk.bytes,
    spoolRecords: disk.records,
    spoolDamage: {
      corruptRegions: disk.corruptRegions,
      corruptBytes: disk.corruptBytes,
      truncatedBytes: disk.truncatedBytes,
      writeFailedRecords: disk.writeFailedRecords,
      damagedRecords: disk.damagedRecords,
    },
  };
}
