// One `login` per token across the gateway's workers: a worker asks the primary the first time it sees a token.
import { createLoginTracker } from '../records/login-tracker.js';
import type { LoginTracker } from '../records/login-tracker.js';

export interface SharedLoginTracker extends LoginTracker {
  /** The primary's answer to question `id`. */
  answer(id: number, first: boolean): void;
}

/**
 * Worker side. Its own memory answers tokens it has seen (no message); a token new to it goes to the
 * primary, whose memory spans every worker and outlives their restarts, and `later` runs if the
 * primary saw it first. The request never waits: the access record follows the answer.
 */
export function createSharedLoginTracker(ask: (id: number, tokenId: string, expiresAtMs: number) => void, local: LoginTracker = createLoginTracker()): SharedLoginTracker {
  const waiting = new Map<number, () => void>();
  let nextId = 1;
  return {
    firstSeen(tokenId, expiresAtMs, later) {
      if (!local.firstSeen(tokenId, expiresAtMs)) return false;
      if (later === undefined) return true;
      const id = nextId++;
      waiting.set(id, later);
      ask(id, tokenId, expiresAtMs);
      return false;
    },
    answer(id, first) {
      const later = waiting.get(id);
      waiting.delete(id);
      if (first) later?.();
    },
  };
}
