// One scenario's figures, as every pipeline scenario prints them: rate, bandwidth, CPU cost, cores busy, memory, share of the ceiling.
import { readFileSync } from 'node:fs';
import type { PipelineRun } from './pipeline-run.js';

export interface ScenarioFigures {
  records_per_s: number;
  mb_per_s: number;
  /** CPU-seconds the pusher process spent per 100,000 records read. */
  cpu_seconds_per_100k: number;
  /** CPU-seconds per second of the run: how many cores the pusher kept busy. */
  cores_busy: number;
  peak_rss_mb: number;
  /** Of the lower of the consume and gzip ceilings. */
  ratio_to_ceiling: number;
}

/** `records` read per job by `jobs` jobs; `recordBytes` the average Kafka value; `ceiling` the lower ceiling in records/s. */
export function scenarioFigures(run: PipelineRun, records: number, jobs: number, recordBytes: number, ceiling: number): ScenarioFigures {
  const read = records * jobs;
  const rate = read / run.seconds;
  return {
    records_per_s: Math.round(rate),
    mb_per_s: +((rate * recordBytes) / 1e6).toFixed(2),
    cpu_seconds_per_100k: +((run.cpu_seconds / read) * 100_000).toFixed(2),
    cores_busy: +(run.cpu_seconds / run.seconds).toFixed(2),
    peak_rss_mb: Math.round(run.peak_rss_mb),
    ratio_to_ceiling: +(rate / ceiling).toFixed(3),
  };
}

export function scenarioRow(figures: ScenarioFigures): string {
  return (
    `${figures.records_per_s} records/s, ${figures.mb_per_s} MB/s in, ${figures.cpu_seconds_per_100k} CPU-s per 100k, ` +
    `${figures.cores_busy} cores busy, peak RSS ${figures.peak_rss_mb} MB, ${figures.ratio_to_ceiling} of the lower ceiling`
  );
}

/** A target line: the figure against its bound, and whether it is reached (printed, never asserted). */
export function targetRow(figure: number, bound: number, atLeast: boolean): string {
  const reached = atLeast ? figure >= bound : figure <= bound;
  return `${figure} (target ${atLeast ? '≥' : '≤'} ${bound}: ${reached ? 'reached' : 'not reached'})`;
}

/**
 * Records/s of an earlier run (`SLUICE_BENCH_BASELINE=FILE`, the --json of a run before the change), by
 * scenario, for the "2× today's rate" target; undefined without one.
 */
export function baselineRates(): { avro: number | undefined; json: number | undefined } | undefined {
  const file = process.env['SLUICE_BENCH_BASELINE'];
  if (!file) return undefined;
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as { pipeline_records_per_s?: number; json_input?: { records_per_s?: number } };
  return { avro: earlier.pipeline_records_per_s, json: earlier.json_input?.records_per_s };
}
