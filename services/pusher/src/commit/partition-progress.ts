// Which offset of one partition may be committed (never past a record not yet delivered), and the batch cuts that go with it.
import type { BatchCut } from './batch-cuts.js';
import { encodeCuts } from './batch-cuts.js';

/** A batch cut from this partition, from the moment it is sealed until its delivery ends. */
export interface BatchInFlight {
  readonly firstOffset: number;
  readonly delivered: boolean;
}

interface InFlightEntry {
  firstOffset: number;
  delivered: boolean;
}

/**
 * Per-partition bookkeeping, owned by the offset committer. Offsets are processed in order; a batch
 * holds a contiguous run of the partition's in-scope records, and records between batches (other
 * zones, filtered out) need no delivery. The committable offset is the first offset still owed to
 * a destination. The committed offset only moves forward.
 */
export class PartitionProgress {
  /** Sealed batches in offset order; delivered ones are dropped from the front. */
  private readonly inFlight: InFlightEntry[] = [];
  /** First offset of the open (unsealed) batch, or -1 when none is open. */
  private openFrom = -1;
  /** Lowest offset of records still being written to the dead-letter topic, or -1. */
  private heldFrom = -1;
  /** The offset after the last record processed. */
  private consumedUpTo = -1;
  private committedOffset: number;
  /** Cuts not yet behind the committed offset, in offset order: recorded here or read back from the last owner's commit. */
  private cuts: BatchCut[];
  /** The metadata last committed, so a commit is due when the cuts change even if the offset does not. */
  private committedMetadata: string;
  /** True once every clock-made cut sealed so far is recorded; false once one of them never will be. */
  private cutsDurable: Promise<boolean> = Promise.resolve(true);
  /** The partition's end as this generation first fetched it: no earlier owner can have read a record from here on. */
  private readonly horizon: number;

  constructor(committed: number, cuts: readonly BatchCut[] = [], committedMetadata = '', horizon = 0) {
    this.committedOffset = committed;
    this.horizon = horizon;
    this.cuts = cuts.filter((c) => c.to >= committed).sort((a, b) => a.from - b.from);
    this.committedMetadata = committedMetadata;
  }

  get committed(): number {
    return this.committedOffset;
  }

  consumed(offset: number): void {
    this.consumedUpTo = offset + 1;
  }

  openBatchAt(offset: number): void {
    this.openFrom = offset;
  }

  /** The open batch was sealed and is now being delivered. */
  sealed(firstOffset: number): BatchInFlight {
    const batch: InFlightEntry = { firstOffset, delivered: false };
    this.inFlight.push(batch);
    this.openFrom = -1;
    return batch;
  }

  /**
   * Called as each batch is sealed, in offset order. A batch starts where the cuts before it put it,
   * so its object's name is only reproducible once every earlier clock-made cut is recorded: the
   * answer resolves true then, and false when one of them never will be (the generation ended). A
   * batch whose own cut is clock-made passes the promise of that cut's record, and later batches
   * wait for it too.
   */
  earlierCutsDurable(ownCut?: Promise<boolean>): Promise<boolean> {
    const earlier = this.cutsDurable;
    if (ownCut) this.cutsDurable = Promise.all([earlier, ownCut]).then(([before, own]) => before && own);
    return earlier;
  }

  /** The destination took the batch: it no longer holds the commit back. */
  delivered(batch: BatchInFlight): void {
    (batch as InFlightEntry).delivered = true;
  }

  /** The open batch was dropped (shutdown or rebalance): its records must be read again. */
  abandonedOpen(): void {
    this.consumedUpTo = this.openFrom === -1 ? this.consumedUpTo : this.openFrom;
    this.openFrom = -1;
  }

  /**
   * A record at `offset` is on its way to the dead-letter topic: nothing from it on is committed
   * until `release()`. Inside an open batch the hold starts at the batch's first record instead: that
   * batch may be delivered before the dead letter is written, and a commit in the middle of it would
   * make a replay start a batch there, under another name, storing the batch's tail twice.
   */
  holdFrom(offset: number): void {
    const at = this.openFrom !== -1 && this.openFrom < offset ? this.openFrom : offset;
    if (this.heldFrom === -1 || at < this.heldFrom) this.heldFrom = at;
  }

  release(): void {
    this.heldFrom = -1;
  }

  get pendingBatches(): number {
    return this.inFlight.length;
  }

  /** Where a replay must end the batch starting at `from`, when a cut was recorded for it. */
  cutEnding(from: number): number | undefined {
    for (const cut of this.cuts) if (cut.from === from) return cut.to;
    return undefined;
  }

  /**
   * Whether the open batch starting at `firstOffset` may be cut by the clock, a stop or memory pressure. Not while the
   * partition is being read again: below the horizon an earlier owner may have read these same records, cut them by
   * count, size or record time, stored the object and died before committing. Only the cuts the records make by
   * themselves line up with that object; any other would store its records a second time under another name. Nor
   * before the end of a cut the earlier owner recorded for this batch.
   */
  mayCutEarly(firstOffset: number): boolean {
    return this.consumedUpTo >= this.horizon && this.cutEnding(firstOffset) === undefined;
  }

  /** A cut made by the clock, a shutdown or memory pressure: committed (as metadata) before the batch is delivered. */
  addCut(cut: BatchCut): void {
    if (this.cutEnding(cut.from) !== undefined) return;
    this.cuts.push(cut);
    this.cuts.sort((a, b) => a.from - b.from);
  }

  /** The cuts as they would be committed now, for a commit at `offset`: those not yet wholly behind it. */
  metadataAt(offset: number): string {
    return encodeCuts(this.cuts.filter((c) => c.to >= offset));
  }

  /** The offset a commit may name now: the first undelivered record, else everything consumed. */
  committable(): number {
    while (this.inFlight.length > 0 && this.inFlight[0]?.delivered) this.inFlight.shift();
    let limit = this.consumedUpTo;
    const oldest = this.inFlight[0];
    if (oldest !== undefined) limit = oldest.firstOffset;
    else if (this.openFrom !== -1) limit = this.openFrom;
    if (this.heldFrom !== -1 && this.heldFrom < limit) limit = this.heldFrom;
    return Math.max(limit, this.committedOffset);
  }

  /** The commit to make now, if the offset moved forward or the cuts changed; undefined when nothing is due. */
  commitDue(): { offset: number; metadata: string } | undefined {
    const offset = this.committable();
    const metadata = this.metadataAt(offset);
    if (offset > this.committedOffset || metadata !== this.committedMetadata) return { offset, metadata };
    return undefined;
  }

  /** A commit of `offset` with `metadata` went through; an older one finishing late never moves it back. */
  committedTo(offset: number, metadata: string): void {
    if (offset < this.committedOffset) return;
    this.committedOffset = offset;
    this.committedMetadata = metadata;
    this.cuts = this.cuts.filter((c) => c.to >= offset);
  }
}
