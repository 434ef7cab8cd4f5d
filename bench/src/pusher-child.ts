// One pusher process running the jobs of a jobs file until the measured job has consumed the expected records; prints its figures.
// Run as: node pusher-child.js <jobs.json> <expectedRecords> [measuredJobId | all]   (default: the file's first job; `all`: every job, timed until the last is done)
// SLUICE_BENCH_PUSHER_THREADS: pusher threads, each a member of every job's group (default: one per core; 1 runs the pusher on the main thread, as before threads).
// SLUICE_BENCH_THREAD_HEAP_MB: each thread's old-generation cap, as `sluice pusher --thread-heap-mb` (default DEFAULT_THREAD_HEAP_MB).
import { createKafkaClient, kafkaSecurityFromEnv, parseBrokers } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { defaultDestinations } from '@sluice/destinations';
import { createPusher, createThreadedPusher, loadJobsFile, mergeStatuses, parseThreadCount, parseThreadHeapMb } from '@sluice/pusher';
import type { JobStatus, Pusher } from '@sluice/pusher';

const [jobsFile, expectedText, measuredText] = process.argv.slice(2);
const expected = Number(expectedText);
const { jobs, customFields } = await loadJobsFile(jobsFile ?? '', defaultDestinations);
// Beside the measured job, another may fail on purpose: its retry warnings would drown the output.
const logger = createLogger({ name: 'bench-pusher', level: jobs.length === 1 ? 'warn' : 'error' });
const brokers = parseBrokers(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
const everyJob = measuredText === 'all';
const measuredId = measuredText === undefined || everyJob ? jobs[0]?.id : Number(measuredText);
const threadCount = parseThreadCount(process.env['SLUICE_BENCH_PUSHER_THREADS'], 'SLUICE_BENCH_PUSHER_THREADS');
if (!threadCount.ok) throw Object.assign(new Error(threadCount.message), { code: threadCount.code });
const { threads } = threadCount;
const threadHeap = parseThreadHeapMb(process.env['SLUICE_BENCH_THREAD_HEAP_MB'], 'SLUICE_BENCH_THREAD_HEAP_MB');
if (!threadHeap.ok) throw Object.assign(new Error(threadHeap.message), { code: threadHeap.code });
const threadHeapMb = threadHeap.heapMb;
function startPusher(): Pusher {
  return threads === 1
    ? createPusher({ jobs, customFields, kafka: createKafkaClient({ brokers, clientId: 'bench-pusher', logger }), destinations: defaultDestinations, logger })
    : createThreadedPusher({
        threads,
        settings: {
          kafka: { brokers, clientId: 'bench-pusher', security: kafkaSecurityFromEnv(process.env) },
          jobs: { kind: 'file', path: jobsFile ?? '' },
          destinations: { kind: 'default' },
          logLevel: logger.level,
        },
        logger,
        // The bench polls every few ms: fresh figures keep its clock close to the threads'.
        statusIntervalMs: 20,
        ...(threadHeapMb !== undefined ? { threadHeapMb } : {}),
      });
}

/** Records of a job's scope it has dealt with: delivered, filtered out, sampled out or dead-lettered. */
const accounted = (s: JobStatus): number => s.records_delivered + s.records_filtered_out + s.records_sampled_out + s.records_dead_lettered;
/**
 * A pass ends when each timed job has read as many records of its scope as earlier passes left, and it
 * is then stopped so that its open batches are delivered. A rebalance during a pass (a member late to a
 * group, or one whose heartbeat came too late on a busy machine) hands a partition's unread and
 * undelivered records to another thread, which reads them again: the count of records read then
 * reaches the figure before every record was read, and the stop leaves the rest uncommitted, for the
 * next start. That next start is another pass, timed as part of the run; nothing is read twice into
 * the objects (`jobs_delivered` checks it), and the pass count is printed.
 */
const MAX_PASSES = 3;

/** The jobs timed, from a set of statuses: the measured one, or with `all` every job (the slowest decides). */
const timedIn = (statuses: readonly JobStatus[]): JobStatus[] => statuses.filter((s) => everyJob || s.id === measuredId);
let firstRecordAt = 0;
let cpuAtFirst = process.cpuUsage();
let consumedAt = 0;
let passes = 0;
/** Totals of the passes so far, as a threaded pusher keeps those of threads that were replaced. */
let totals: JobStatus[] = [];
let others: JobStatus[] = [];
for (;;) {
  passes++;
  const earlier = new Map(totals.map((s) => [s.id, accounted(s)]));
  const pusher = startPusher();
  await pusher.start();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const timed = timedIn(pusher.statuses());
      if (timed.length === 0 || (everyJob && timed.length < jobs.length)) return;
      if (firstRecordAt === 0 && timed.some((s) => s.records_consumed > 0)) {
        firstRecordAt = performance.now();
        cpuAtFirst = process.cpuUsage();
      }
      if (timed.every((s) => s.records_consumed - s.records_out_of_scope >= expected - (earlier.get(s.id) ?? 0))) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  // Everything is consumed: seal the open batches, deliver them and commit, then take the time.
  // The clock stops when the last kept record is delivered; leaving the consumer group is not throughput.
  consumedAt = performance.now();
  const stopped = pusher.stop();
  const soFar = (): JobStatus[] => mergeStatuses([{ statuses: pusher.statuses(), retired: totals }]);
  const allKeptDelivered = (): boolean => timedIn(soFar()).every((s) => accounted(s) >= expected);
  let stoppedAll = false;
  void stopped.then(() => (stoppedAll = true));
  while (!allKeptDelivered() && !stoppedAll) await new Promise((resolve) => setTimeout(resolve, 2));
  const done = allKeptDelivered();
  // Other jobs are not measured: one whose destination is down would hold stop() for its whole deadline.
  if (jobs.length === 1 || everyJob || !done) await stopped;
  totals = soFar();
  others = totals.filter((s) => s.id !== measuredId);
  if (done || passes === MAX_PASSES) {
    if (!done) process.stderr.write('bench: the pusher stopped before delivering every record it was timed on\n');
    break;
  }
  const short = timedIn(totals).reduce((sum, s) => sum + Math.max(0, expected - accounted(s)), 0);
  process.stderr.write(`bench: a rebalance had the pusher read records again, and ${short} were not read when it stopped; starting it again for them (timed as part of the run)\n`);
}
const deliveredAt = performance.now();
// CPU of the whole process (every thread: JavaScript, gzip in libuv's pool, garbage collection) while it worked.
const cpu = process.cpuUsage(cpuAtFirst);
const seconds = (deliveredAt - firstRecordAt) / 1000;
process.stderr.write(`bench: pusher consumed in ${((consumedAt - firstRecordAt) / 1000).toFixed(2)} s, delivered the rest in ${((deliveredAt - consumedAt) / 1000).toFixed(2)} s${passes > 1 ? ` (${passes} passes)` : ''}\n`);
const status = totals.find((s) => s.id === measuredId);
process.stdout.write(
  `${JSON.stringify({
    seconds,
    records_in_scope: expected,
    records_delivered: status?.records_delivered,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    jobs_delivered: timedIn(totals).reduce((sum, s) => sum + s.records_delivered, 0),
    batches: status?.batches_delivered,
    bytes_uncompressed: status?.bytes_uncompressed,
    bytes_compressed: status?.bytes_compressed,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    threads,
    passes,
    others,
  })}\n`,
);
process.exit(0);
