// What one pusher child reports (pusher-child.ts): the measured job's figures and how the others stood.

export interface PipelineRun {
  seconds: number;
  records_in_scope: number;
  records_delivered: number;
  batches: number;
  bytes_uncompressed: number;
  bytes_compressed: number;
  peak_rss_mb: number;
  /** CPU the pusher process used (all its threads) from its first record to the last delivery. */
  cpu_seconds: number;
  /** Records delivered by the jobs timed (with `all`, every job's). */
  jobs_delivered: number;
  /** Times the pusher was started: more than one when a rebalance left records unread at the first stop (pusher-child.ts). */
  passes: number;
  /** The jobs run beside the measured one, as they stood when it was done. */
  others: { id: number; records_consumed: number; records_out_of_scope: number; records_delivered: number; batches_in_flight?: number }[];
}

/** Runs the given jobs (documents as in a jobs file) in one pusher child and measures the first. */
export type RunJobs = (name: string, jobs: readonly Record<string, unknown>[]) => Promise<PipelineRun>;
