// How large a Logpush filter may be: Logpush publishes "about 1,000 bytes / about 30 operators".

export interface FilterLimits {
  /** Longest filter text, in bytes of UTF-8 (default 1,000). */
  readonly maxBytes: number;
  /** Most condition leaves, counted across every `and`/`or` (default 30). */
  readonly maxConditions: number;
  /**
   * Deepest `and`/`or` nesting (default 64). Logpush sets none; ours keeps validation and the
   * compiled closures from recursing without bound on hostile input.
   */
  readonly maxDepth: number;
}

/**
 * Note that a condition takes at least ~40 bytes, so within 1,000 bytes the byte limit is reached
 * before the condition limit; both are kept because Logpush states both.
 */
export const FILTER_LIMITS: FilterLimits = Object.freeze({ maxBytes: 1_000, maxConditions: 30, maxDepth: 64 });
