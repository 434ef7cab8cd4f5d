// The live tail's bounds: events per second, how long a tail lives, how many run at once; defaults and checks in one place.

export interface TailLimits {
  /** Events sent per second at most; beyond it the stream is sampled (default 25). A tail may ask for fewer. */
  maxEventsPerSecond: number;
  /** A tail closes itself after this many milliseconds (default 5 minutes, as Cloudflare's Instant Logs sessions). */
  maxDurationMs: number;
  /** Tails one caller (one token or key) may hold open at once (default 2). */
  maxTailsPerCaller: number;
  /** Tails this API instance runs at once, whoever asks (default 16): each one is a Kafka consumer. */
  maxTails: number;
  /** An SSE comment is sent after this many idle milliseconds, so that proxies keep the stream open (default 15 s). */
  keepaliveMs: number;
}

export const DEFAULT_TAIL_LIMITS: TailLimits = {
  maxEventsPerSecond: 25,
  maxDurationMs: 5 * 60_000,
  maxTailsPerCaller: 2,
  maxTails: 16,
  keepaliveMs: 15_000,
};

/** A start-up configuration error: the limit named, the bad value shown. */
export class TailLimitsError extends Error {
  readonly code = 'TAIL_LIMITS_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'TailLimitsError';
  }
}

/** The defaults with `overrides` applied; throws TailLimitsError naming the first limit that is not a positive whole number. */
export function resolveTailLimits(overrides: Partial<TailLimits> = {}): TailLimits {
  const limits = { ...DEFAULT_TAIL_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TailLimitsError(`live tail limit ${name} must be a whole number ≥ 1, got ${JSON.stringify(value)} (example: ${DEFAULT_TAIL_LIMITS[name as keyof TailLimits]})`);
    }
  }
  return limits;
}
