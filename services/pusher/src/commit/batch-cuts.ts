// Batch cuts kept in the offset commit's metadata, so a replay of a partition cuts its batches where the first run did.
//
// A batch sealed by the clock (an idle flush), a shutdown or memory pressure ends at a record no
// replay could find by itself. Before such a batch is delivered, its range is committed as
// metadata beside the partition's offset; the next owner of the partition reads it back and seals
// the batch that starts at `from` right after `to`. Its object then gets the same key and replaces
// the first copy instead of standing beside it.

/** The batch whose first record is at offset `from` ends with the record at offset `to`. */
export interface BatchCut {
  from: number;
  to: number;
}

const PREFIX = 'sluice-cuts:1:';

/** Kafka's default `offset.metadata.max.bytes`; a commit over it is refused. */
export const MAX_CUT_METADATA_BYTES = 4096;

/** No cuts: no metadata at all, as any other consumer would commit. */
export function encodeCuts(cuts: readonly BatchCut[]): string {
  if (cuts.length === 0) return '';
  return PREFIX + cuts.map((c) => `${c.from}-${c.to}`).join(',');
}

/** Cuts in a commit's metadata; none for metadata Sluice did not write (or wrote with another version). */
export function decodeCuts(metadata: string | null | undefined): BatchCut[] {
  if (!metadata?.startsWith(PREFIX)) return [];
  const body = metadata.slice(PREFIX.length);
  if (body === '') return [];
  const cuts: BatchCut[] = [];
  for (const part of body.split(',')) {
    const match = /^(\d{1,19})-(\d{1,19})$/.exec(part);
    if (!match) return [];
    const from = Number(match[1]);
    const to = Number(match[2]);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) return [];
    cuts.push({ from, to });
  }
  return cuts;
}

/** Whether one more cut still fits in the metadata Kafka accepts. */
export function cutsFit(cuts: readonly BatchCut[]): boolean {
  return Buffer.byteLength(encodeCuts(cuts)) <= MAX_CUT_METADATA_BYTES;
}
