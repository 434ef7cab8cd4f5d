// `durability: "sync"` on the publisher thread: every record goes to the spool first, and is stored once an fsync covered it.
import type { DiskSpool } from '../spool/disk-spool.js';

/*
 * Why the spool first, rather than Kafka's acknowledgement or the spool: one path whose durability
 * is a single ordered watermark (records are numbered as published; an fsync covers every record
 * appended before it), the same whether Kafka is up or down, and a crash leaves exactly the
 * records whose requests were answered on disk, for the restart's replay. Kafka gets them from the
 * replayer, as after an outage. Cost: an fsync per group of records (one per event-loop turn of
 * the publisher thread), measured in the gateway bench.
 */

/** Records `(after, upTo]` are settled: stored, except the sequence numbers in `lost` (refused by a full spool, or a failed write). */
export type DurableReport = (after: number, upTo: number, lost: readonly number[]) => void;

export interface WriteAhead {
  /** Record `seq` was appended to the spool (`stored`) or refused by it; either way its answer comes with the next report. */
  appended(seq: number, stored: boolean): void;
}

export function createWriteAhead(spool: DiskSpool, lastSeq: () => number, report: DurableReport): WriteAhead {
  let reported = 0;
  let lost: number[] = [];
  let wanted = false;
  let running = false;

  async function flushLoop(): Promise<void> {
    running = true;
    try {
      while (wanted) {
        wanted = false;
        const upTo = lastSeq();
        const lostNow = lost;
        lost = [];
        const failedBefore = spool.stats().writeFailedRecords;
        await spool.flush();
        // A failed write does not say which records it held: every one of this flush counts as lost.
        const failed = spool.stats().writeFailedRecords > failedBefore;
        report(reported, upTo, failed ? range(reported + 1, upTo) : lostNow);
        reported = upTo;
      }
    } finally {
      running = false;
    }
  }

  return {
    appended(seq, stored) {
      if (!stored) lost.push(seq);
      wanted = true;
      // One flush at a time; records appended during one are covered by the next, so an fsync serves a whole group.
      if (!running) setImmediate(() => void flushLoop());
      running = true;
    },
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
