// How long Kafka takes to acknowledge the publisher's sends: a histogram kept on the publisher thread, reported in its stats.

/**
 * Bucket bounds in seconds: a local broker acknowledges a batch in 1–10 ms, a remote one in 10–100 ms; a send
 * that waits through a leader election or a full queue takes seconds, and the send timeout ends it at 30 s.
 */
export const SEND_SECONDS_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Sends counted per bucket (not cumulative; the last one is past every bound), their seconds summed. */
export interface SendTimings {
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

export interface SendTiming {
  observe(seconds: number): void;
  snapshot(): SendTimings;
}

export function createSendTiming(): SendTiming {
  const counts = new Array<number>(SEND_SECONDS_BUCKETS.length + 1).fill(0);
  let sum = 0;
  let count = 0;
  return {
    observe(seconds) {
      let bucket = 0;
      while (bucket < SEND_SECONDS_BUCKETS.length && seconds > (SEND_SECONDS_BUCKETS[bucket] ?? Infinity)) bucket++;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
      sum += seconds;
      count++;
    },
    snapshot: () => ({ counts: [...counts], sum, count }),
  };
}

/** Prometheus's view of the timings: cumulative `le` buckets, ending with +Inf. */
export function cumulativeBuckets(timings: SendTimings): { le: string; value: number }[] {
  let running = 0;
  return timings.counts.map((n, i) => {
    running += n;
    return { le: i < SEND_SECONDS_BUCKETS.length ? String(SEND_SECONDS_BUCKETS[i]) : '+Inf', value: running };
  });
}
