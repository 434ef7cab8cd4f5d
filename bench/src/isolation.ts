// Failure isolation: the plain job alone, and beside a job on the same records whose S3 answers 503 to
// everything, in alternating rounds; the median ratio of its throughput beside to alone is the figure.
import { createFaultProxy } from '@sluice/destination-conformance';
import type { PipelineRun, RunJobs } from './pipeline-run.js';

export interface IsolationOptions {
  records: number;
  /** Alone/beside pairs; the order alternates so that drift in the machine's speed favours neither. */
  rounds: number;
  /** Where S3 really is: the failing job's proxy sits in front of it. */
  s3Endpoint: string;
  /** The plain job as a document, under `name`; `endpoint` replaces its S3 endpoint, `extra` its fields. */
  job: (name: string, jobId: number, options?: { endpoint?: string; extra?: Record<string, unknown> }) => Record<string, unknown>;
  run: RunJobs;
  /** Three unused job ids per round from here. */
  firstJobId: number;
  say: (line: string) => void;
}

export interface IsolationRound {
  aloneRecordsPerSecond: number;
  besideRecordsPerSecond: number;
  ratio: number;
  besidePeakRssMb: number;
  /** Records of its zone the failing job had read (and so holds) when the healthy job was done. */
  failingRecordsHeld: number;
  failingBatchesInFlight: number | undefined;
  requestsFailed: number;
}

export interface IsolationResult {
  rounds: IsolationRound[];
  medianRatio: number;
}

export async function measureIsolation(options: IsolationOptions): Promise<IsolationResult> {
  const rounds: IsolationRound[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const ids = { alone: options.firstJobId + round * 3, beside: options.firstJobId + round * 3 + 1, failing: options.firstJobId + round * 3 + 2 };
    const runAlone = (): Promise<PipelineRun> => {
      options.say(`bench: failure isolation, round ${round + 1}: the plain job alone…`);
      return options.run(`alone-${round}`, [options.job(`alone-${round}`, ids.alone)]);
    };
    const runBeside = async (): Promise<{ run: PipelineRun; requestsFailed: number }> => {
      options.say(`bench: failure isolation, round ${round + 1}: the plain job beside a job on the same records whose S3 answers 503 to everything…`);
      const proxy = await createFaultProxy(options.s3Endpoint);
      proxy.failAll(503);
      try {
        // Logpush's smallest batches, so that the failing job reaches its bound (batches in delivery, one
        // open batch a partition) early: what is measured is the steady state of an outage, not its first seconds.
        const failing = options.job(`failing-${round}`, ids.failing, { endpoint: proxy.url, extra: { max_upload_records: 1_000 } });
        const run = await options.run(`beside-${round}`, [options.job(`beside-${round}`, ids.beside), failing]);
        return { run, requestsFailed: proxy.failed.length };
      } finally {
        await proxy.close();
      }
    };
    let alone: PipelineRun;
    let beside: { run: PipelineRun; requestsFailed: number };
    if (round % 2 === 0) {
      alone = await runAlone();
      beside = await runBeside();
    } else {
      beside = await runBeside();
      alone = await runAlone();
    }
    const failing = beside.run.others[0];
    if (alone.records_delivered !== options.records || beside.run.records_delivered !== options.records) {
      throw new Error(`the plain job delivered ${alone.records_delivered} of ${options.records} records alone and ${beside.run.records_delivered} beside the failing one`);
    }
    if (!failing || failing.records_delivered !== 0 || beside.requestsFailed === 0) throw new Error(`the failing job was not failing: ${JSON.stringify(failing)}`);
    const aloneRecordsPerSecond = options.records / alone.seconds;
    const besideRecordsPerSecond = options.records / beside.run.seconds;
    rounds.push({
      aloneRecordsPerSecond,
      besideRecordsPerSecond,
      ratio: besideRecordsPerSecond / aloneRecordsPerSecond,
      besidePeakRssMb: beside.run.peak_rss_mb,
      failingRecordsHeld: failing.records_consumed - failing.records_out_of_scope,
      failingBatchesInFlight: failing.batches_in_flight,
      requestsFailed: beside.requestsFailed,
    });
  }
  const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
  const middle = Math.floor(ratios.length / 2);
  const medianRatio = ratios.length % 2 === 1 ? (ratios[middle] ?? 0) : ((ratios[middle - 1] ?? 0) + (ratios[middle] ?? 0)) / 2;
  return { rounds, medianRatio };
}
