// Counts open tails per caller and in total, so that one token cannot hold more than its share of Kafka consumers.

export type LeaseResult = { ok: true; release: () => void } | { ok: false; reason: 'caller' | 'total'; limit: number };

export interface TailLeases {
  /** Takes one tail for `caller` (a principal's name, never its secret); `release` is idempotent. */
  acquire(caller: string): LeaseResult;
  /** Open tails of one caller, or of everyone. */
  count(caller?: string): number;
}

export function createTailLeases(limits: { maxTailsPerCaller: number; maxTails: number }): TailLeases {
  const byCaller = new Map<string, number>();
  let total = 0;
  return {
    acquire(caller) {
      const held = byCaller.get(caller) ?? 0;
      if (held >= limits.maxTailsPerCaller) return { ok: false, reason: 'caller', limit: limits.maxTailsPerCaller };
      if (total >= limits.maxTails) return { ok: false, reason: 'total', limit: limits.maxTails };
      byCaller.set(caller, held + 1);
      total++;
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          total--;
          const left = (byCaller.get(caller) ?? 1) - 1;
          if (left === 0) byCaller.delete(caller);
          else byCaller.set(caller, left);
        },
      };
    },
    count: (caller) => (caller === undefined ? total : (byCaller.get(caller) ?? 0)),
  };
}
