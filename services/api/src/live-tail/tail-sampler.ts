// Bounds a tail's events per second: past the bound the stream is sampled evenly, at a rate set from the last second's matches.

export interface SampleState {
  /** Fraction of matching events sent, 0 < r ≤ 1. */
  sampleRate: number;
  /** Events that matched the filter in the last whole second. */
  matchedPerSecond: number;
}

export interface TailSampler {
  /** Called once for each event that passed the filter: whether to send it. */
  admit(): boolean;
  /** The rate in force now (windows are rolled first). */
  current(): SampleState;
}

export interface TailSamplerOptions {
  maxEventsPerSecond: number;
  /** Milliseconds; the tail's clock. */
  now: () => number;
  /** Called whenever the sample rate changes, so that the client can show it. */
  onChange?: (state: SampleState) => void;
}

const WINDOW_MS = 1_000;

/**
 * Each one-second window sends every k-th match, where the rate is `max / matches of the previous
 * window` (1 when that was under the bound), and never more than `max` events: a burst that starts
 * mid-window is cut at the bound and sampled from the next window on.
 */
export function createTailSampler(options: TailSamplerOptions): TailSampler {
  const max = options.maxEventsPerSecond;
  let windowStart = options.now();
  let matched = 0;
  let kept = 0;
  let state: SampleState = { sampleRate: 1, matchedPerSecond: 0 };

  const roll = (): void => {
    const at = options.now();
    const elapsed = at - windowStart;
    if (elapsed < WINDOW_MS) return;
    // A window with no admit call at all had no matches.
    const previous = elapsed < 2 * WINDOW_MS ? matched : 0;
    windowStart = at - (elapsed % WINDOW_MS);
    matched = 0;
    kept = 0;
    const sampleRate = previous > max ? max / previous : 1;
    const changed = sampleRate !== state.sampleRate;
    state = { sampleRate, matchedPerSecond: previous };
    if (changed) options.onChange?.(state);
  };

  return {
    admit() {
      roll();
      matched++;
      if (kept >= max) return false;
      // Evenly spread, the window's first match included: the n-th is sent when n·rate passes a whole number.
      const send = Math.ceil(matched * state.sampleRate) > Math.ceil((matched - 1) * state.sampleRate);
      if (send) kept++;
      return send;
    },
    current() {
      roll();
      return state;
    },
  };
}
