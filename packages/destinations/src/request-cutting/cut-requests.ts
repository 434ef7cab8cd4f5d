// Groups a stream of encoded items into request-sized runs, in order, holding at most one run and one block in memory.

export interface RequestLimits {
  /** Bytes one request's text may hold, framing included; an item larger on its own goes alone. */
  maxBytes: number;
  /** Items one request may hold. Default: no limit. */
  maxItems?: number;
  /** Bytes around the items (`[` and `]` of a JSON array). Default 0. */
  framingBytes?: number;
  /** Bytes between two items (`,` of a JSON array). Default 0. */
  separatorBytes?: number;
}

/**
 * Items come in blocks (as a body is inflated); the next block is pulled only when the current run
 * has room left, so memory holds one run plus one block, whatever the batch size. `bytesOf` gives
 * an item's size as sent (UTF-8 bytes).
 */
export async function* cutRequests<T>(blocks: AsyncIterable<readonly T[]>, bytesOf: (item: T) => number, limits: RequestLimits): AsyncGenerator<T[], void, undefined> {
  const maxItems = limits.maxItems ?? Infinity;
  const framing = limits.framingBytes ?? 0;
  const separator = limits.separatorBytes ?? 0;
  let run: T[] = [];
  let bytes = framing;
  for await (const block of blocks) {
    for (const item of block) {
      const size = bytesOf(item);
      if (run.length > 0 && (run.length >= maxItems || bytes + separator + size > limits.maxBytes)) {
        yield run;
        run = [];
        bytes = framing;
      }
      bytes += (run.length > 0 ? separator : 0) + size;
      run.push(item);
    }
  }
  if (run.length > 0) yield run;
}
