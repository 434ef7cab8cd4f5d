// What one load-generator child is asked to do (load-child.ts) and what it reports.

export interface LoadSpec {
  readonly url: string;
  /** Sent with every request (the gateway's Host and token). */
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
  /**
   * Requests per second over all connections, paced (see load-child.ts); absent: saturation, each
   * connection sending its next request as soon as its last is answered.
   */
  readonly rate?: number;
  /** Warm-up before the measured run, seconds (keep-alive pools, the token cache, the JIT). */
  readonly warmupSeconds: number;
  /** Length of the measured run, seconds: a request count sized to take about this long (whole seconds when paced). */
  readonly seconds: number;
}

export interface LoadRun {
  /** Of the measured run: saturated, its answers over the time to the last; paced, the rate each connection kept, summed. */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** Answers in the measured run. */
  readonly responses: number;
  /** Answers in every phase (probe, warm-up, measured run): the requests the target served for this run. */
  readonly answered: number;
  /** Answers (in every phase) that were not 2xx. */
  readonly non2xx: number;
  /** Requests (in every phase) that got no answer: connection errors and 10 s timeouts. */
  readonly errors: number;
}
