// The load generator (autocannon) in a process of its own: a warm-up, then one measured run, each a set number of requests.
// Run as: node load-child.js <LoadSpec as JSON>   Prints a LoadRun as JSON; with an IPC channel, says when the measured run starts.
import autocannon from 'autocannon';
import type { LoadRun, LoadSpec } from './load-run.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;

/** One autocannon instance: `amount` requests over `connections`, at `overallRate` per second if set, started `delayMs` late. */
interface InstancePlan {
  readonly connections: number;
  readonly amount: number;
  readonly overallRate?: number;
  readonly delayMs: number;
}

interface Phase {
  readonly responses: number;
  /** Saturated: answers over the time to the last answer. Paced: the sum of each connection's requests over its time to done. */
  readonly requestsPerSecond: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly latenciesMs: readonly number[];
}

/** Requests of a saturation probe per connection: enough to size the warm-up, short enough not to matter. */
const PROBE_REQUESTS_PER_CONNECTION = 20;

/**
 * Every connection sends its next request as soon as it has an answer. A request count rather than a
 * duration: autocannon cuts the requests in flight when a duration ends, and the gateway logs those
 * too, so records would no longer match answers.
 */
function saturatedPlan(requests: number): InstancePlan[] {
  return [{ connections: spec.connections, amount: Math.max(spec.connections, Math.round(requests)), delayMs: 0 }];
}

/**
 * autocannon paces a rate per connection and per second: each connection sends its share back to
 * back when a second begins, then waits; with every connection on the same clock, a third of the
 * saturated rate is a saturating burst for a third of each second (measured through the gateway at
 * 1,500 requests/s: p50 1.2 ms, p99 5.9 ms, against 0.22 ms and 2.4 ms staggered). So one instance
 * per connection, their seconds staggered evenly: the bursts are short and spread over the second.
 * Each sends a whole number of seconds' worth, so that none ends early on a short last second.
 */
function pacedPlan(rate: number, seconds: number): InstancePlan[] {
  const instances = Math.max(1, Math.min(spec.connections, rate));
  return Array.from({ length: instances }, (_, i) => {
    const overallRate = Math.floor(rate / instances) + (i < rate % instances ? 1 : 0);
    return { connections: 1, amount: overallRate * Math.max(1, Math.round(seconds)), overallRate, delayMs: (i * 1000) / instances };
  });
}

/** Runs the instances of a plan together and waits for every answer. */
async function phase(plan: readonly InstancePlan[]): Promise<Phase> {
  const started = performance.now();
  let lastAt = started;
  const latenciesMs: number[] = [];
  let non2xx = 0;
  // Our own record of each answer: autocannon's histogram keeps whole milliseconds, too coarse for a sub-millisecond target.
  const onResponse = (_client: unknown, status: number, _bytes: number, ms: number): void => {
    latenciesMs.push(ms);
    if (status < 200 || status > 299) non2xx++;
    lastAt = performance.now();
  };
  const results = await Promise.all(plan.map((instance) => runInstance(instance, onResponse)));
  const paced = plan.some((instance) => instance.overallRate !== undefined);
  // A paced connection is done at the tick after its last second, not at its last answer: its rate is its requests over its whole run.
  const requestsPerSecond = paced ? results.reduce((sum, r) => sum + r.requests / r.seconds, 0) : latenciesMs.length / ((lastAt - started) / 1000);
  return { responses: latenciesMs.length, requestsPerSecond, non2xx, errors: results.reduce((sum, r) => sum + r.errors, 0), latenciesMs };
}

/** Runs one autocannon instance: its answered requests, the time from its start to its result, and its requests without an answer. */
async function runInstance(plan: InstancePlan, onResponse: (client: unknown, status: number, bytes: number, ms: number) => void): Promise<{ requests: number; seconds: number; errors: number }> {
  if (plan.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        headers: { ...spec.headers },
        connections: plan.connections,
        amount: plan.amount,
        ...(plan.overallRate !== undefined ? { overallRate: plan.overallRate } : {}),
        // Its result comes at the first sample tick after the last answer: ticks of 100 ms, not 1 s, waste less time.
        sampleInt: 100,
        timeout: 10,
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`)) : resolve(result)),
    );
    instance.on('response', onResponse);
  });
  return { requests: plan.amount - result.errors, seconds: (performance.now() - started) / 1000, errors: result.errors };
}

/** Run with an IPC channel (runChild's `onMessage`), tells the bench and waits for its answer: it reads its targets' CPU clocks in between. */
async function measuredRunStarts(): Promise<void> {
  if (process.send === undefined) return;
  const answered = new Promise((resolve) => process.once('message', resolve));
  process.send({ measuring: true });
  await answered;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const phases: Phase[] = [];
let measured: Phase;
if (spec.rate !== undefined) {
  phases.push(await phase(pacedPlan(spec.rate, spec.warmupSeconds)));
  await measuredRunStarts();
  measured = await phase(pacedPlan(spec.rate, spec.seconds));
} else {
  // The saturated rate is not known yet: a short probe sizes the warm-up, and the warm-up the measured run.
  const probe = await phase(saturatedPlan(spec.connections * PROBE_REQUESTS_PER_CONNECTION));
  const warmup = await phase(saturatedPlan(probe.requestsPerSecond * spec.warmupSeconds));
  phases.push(probe, warmup);
  await measuredRunStarts();
  measured = await phase(saturatedPlan(warmup.requestsPerSecond * spec.seconds));
}
phases.push(measured);

const sorted = [...measured.latenciesMs].sort((a, b) => a - b);
const run: LoadRun = {
  requestsPerSecond: measured.requestsPerSecond,
  p50Ms: percentile(sorted, 50),
  p99Ms: percentile(sorted, 99),
  p999Ms: percentile(sorted, 99.9),
  maxMs: sorted.at(-1) ?? 0,
  responses: measured.responses,
  answered: phases.reduce((sum, p) => sum + p.responses, 0),
  non2xx: phases.reduce((sum, p) => sum + p.non2xx, 0),
  errors: phases.reduce((sum, p) => sum + p.errors, 0),
};
process.stdout.write(`${JSON.stringify(run)}\n`);
process.exit(0);
