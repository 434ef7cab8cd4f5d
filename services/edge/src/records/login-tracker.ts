// Remembers which tokens have already produced a `login` event, so a user's token logs in once, not on every request.

export interface LoginTracker {
  /**
   * True the first time `tokenId` is seen (and it is then remembered). A tracker that cannot tell at
   * once (one shared by the gateway's workers) answers false and calls `later` if the token is new.
   */
  firstSeen(tokenId: string, expiresAtMs: number, later?: () => void): boolean;
}

/**
 * Bounded by `maxTokens`: the oldest entries go first, and entries past their token's expiry are
 * swept as new ones arrive. The memory is per gateway process: after a restart, or on another
 * replica, a token's first request logs one more `login`.
 */
export function createLoginTracker(options: { maxTokens?: number; now?: () => number } = {}): LoginTracker {
  const maxTokens = options.maxTokens ?? 100_000;
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order: the first entry is always the oldest.
  const seen = new Map<string, number>();
  return {
    firstSeen(tokenId, expiresAtMs) {
      if (seen.has(tokenId)) return false;
      const time = now();
      for (const [id, expiry] of seen) {
        if (seen.size < maxTokens && expiry > time) break;
        seen.delete(id);
      }
      seen.set(tokenId, expiresAtMs);
      return true;
    },
  };
}
