// Successful verifications by token, so a request whose token was checked recently skips the RSA work.
import type { VerifyResult } from './verified-identity.js';

export interface VerifiedCache {
  /** The settled result for this token and audience while still usable at `nowMs`, else undefined. */
  get(token: string, audience: string, nowMs: number): Promise<VerifyResult> | undefined;
  set(token: string, audience: string, result: VerifyResult, usableUntilMs: number): void;
}

interface Entry {
  readonly audience: string;
  // The already-resolved promise is what a hit returns: nothing is allocated on the hot path.
  readonly settled: Promise<VerifyResult>;
  readonly usableUntilMs: number;
}

/**
 * An LRU of at most `maxEntries` (0 turns caching off). Keyed by the token alone with the audience
 * kept in the entry, which is equivalent to keying by both (a hit needs both to match) without
 * building a key string per request; a token presented to a second audience is verified again and
 * replaces the entry. Access tokens carry one application's audience, so that is rare.
 */
export function createVerifiedCache(maxEntries: number): VerifiedCache {
  const entries = new Map<string, Entry>();
  return {
    get(token, audience, nowMs) {
      const entry = entries.get(token);
      if (entry === undefined || entry.audience !== audience) return undefined;
      if (nowMs >= entry.usableUntilMs) {
        entries.delete(token);
        return undefined;
      }
      // Re-inserting moves the entry to the young end of the Map's insertion order.
      entries.delete(token);
      entries.set(token, entry);
      return entry.settled;
    },
    set(token, audience, result, usableUntilMs) {
      if (maxEntries <= 0) return;
      if (!entries.delete(token) && entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(token, { audience, settled: Promise.resolve(result), usableUntilMs });
    },
  };
}
