// Which offset of one partition may be committed: never past a record that is not yet delivered.

/** A batch cut from this partition, from the moment it is sealed until its delivery ends. */
export interface BatchInFlight {
  readonly firstOffset: number;
  delivered: boolean;
}

/**
 * Per-partition bookkeeping. Offsets are processed in order; a batch holds a contiguous run of
 * the partition's in-scope records, and records between batches (other zones, filtered out) need
 * no delivery. The committable offset is the first offset still owed to a destination.
 */
export class PartitionProgress {
  /** Sealed batches in offset order; delivered ones are dropped from the front. */
  private readonly inFlight: BatchInFlight[] = [];
  /** First offset of the open (unsealed) batch, or -1 when none is open. */
  private openFrom = -1;
  /** Lowest offset of records still being written to the dead-letter topic, or -1. */
  private heldFrom = -1;
  /** The offset after the last record processed. */
  private consumedUpTo = -1;

  constructor(public committed: number) {}

  consumed(offset: number): void {
    this.consumedUpTo = offset + 1;
  }

  openBatchAt(offset: number): void {
    this.openFrom = offset;
  }

  /** The open batch was sealed and is now being delivered. */
  sealed(firstOffset: number): BatchInFlight {
    const batch: BatchInFlight = { firstOffset, delivered: false };
    this.inFlight.push(batch);
    this.openFrom = -1;
    return batch;
  }

  /** The open batch was dropped (shutdown or rebalance): its records must be read again. */
  abandonedOpen(): void {
    // Nothing to do for commits: the batch's first offset stays the limit via `readFrom`.
    this.consumedUpTo = this.openFrom === -1 ? this.consumedUpTo : this.openFrom;
    this.openFrom = -1;
  }

  holdFrom(offset: number): void {
    if (this.heldFrom === -1 || offset < this.heldFrom) this.heldFrom = offset;
  }

  release(): void {
    this.heldFrom = -1;
  }

  get pendingBatches(): number {
    return this.inFlight.length;
  }

  /** The offset a commit may name now: the first undelivered record, else everything consumed. */
  committable(): number {
    while (this.inFlight.length > 0 && (this.inFlight[0]).delivered) this.inFlight.shift();
    let limit = this.consumedUpTo;
    const oldest = this.inFlight[0];
    if (oldest !== undefined) limit = oldest.firstOffset;
    else if (this.openFrom !== -1) limit = this.openFrom;
    if (this.heldFrom !== -1 && this.heldFrom < limit) limit = this.heldFrom;
    return limit;
  }

  /** A commit is due when the committable offset moved past the last commit. */
  commitDue(): number | undefined {
    const offset = this.committable();
    return offset > this.committed ? offset : undefined;
  }
}
