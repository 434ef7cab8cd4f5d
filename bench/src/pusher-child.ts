// One pusher process running the jobs of a jobs file until the measured job has consumed the expected records; prints its figures.
// Run as: node pusher-child.js <jobs.json> <expectedRecords> [measuredJobId | all]   (default: the file's first job; `all`: every job, timed until the last is done)
// SLUICE_BENCH_PUSHER_THREADS: pusher threads, each a member of every job's group (default: one per core; 1 runs the pusher on the main thread, as before threads).
// SLUICE_BENCH_THREAD_HEAP_MB: each thread's old-generation cap, as `sluice pusher --thread-heap-mb` (default DEFAULT_THREAD_HEAP_MB).
import { createKafkaClient, kafkaSecurityFromEnv, parseBrokers } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { defaultDestinations } from '@sluice/destinations';
import { createPusher, createThreadedPusher, loadJobsFile, parseThreadCount, parseThreadHeapMb } from '@sluice/pusher';
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
const pusher: Pusher =
  threads === 1
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
await pusher.start();

const measured = (): JobStatus | undefined => pusher.statuses().find((s) => s.id === measuredId);
/** The jobs timed: the measured one, or with `all` every job (the slowest decides). */
const timed = (): JobStatus[] => (everyJob ? pusher.statuses() : [measured()].filter((s): s is JobStatus => s !== undefined));
let firstRecordAt = 0;
let cpuAtFirst = process.cpuUsage();
await new Promise<void>((resolve) => {
  const poll = setInterval(() => {
    const statuses = timed();
    if (statuses.length === 0 || (everyJob && statuses.length < jobs.length)) return;
    if (firstRecordAt === 0 && statuses.some((s) => s.records_consumed > 0)) {
      firstRecordAt = performance.now();
      cpuAtFirst = process.cpuUsage();
    }
    if (statuses.every((status) => status.records_consumed - status.records_out_of_scope >= expected)) {
      clearInterval(poll);
      resolve();
    }
  }, 5);
});
// Everything is consumed: seal the open batches, deliver them and commit, then take the time.
// The clock stops when the last kept record is delivered; leaving the consumer group is not throughput.
const consumedAt = performance.now();
let deliveredAt = 0;
const stopped = pusher.stop();
const allKeptDelivered = (): boolean =>
  timed().every((s) => s.records_delivered >= expected - s.records_filtered_out - s.records_sampled_out - s.records_dead_lettered);
let stoppedAll = false;
void stopped.then(() => (stoppedAll = true));
while (!allKeptDelivered()) {
  // Everything has stopped and some records are not delivered: say so (the section then fails naming the count), never wait forever.
  if (stoppedAll && !allKeptDelivered()) {
    process.stderr.write('bench: the pusher stopped before delivering every record it was timed on\n');
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 2));
}
deliveredAt = performance.now();
// CPU of the whole process (every thread: JavaScript, gzip in libuv's pool, garbage collection) while it worked.
const cpu = process.cpuUsage(cpuAtFirst);
// Other jobs are not measured: one whose destination is down would hold stop() for its whole deadline.
if (jobs.length === 1 || everyJob) await stopped;
const seconds = (deliveredAt - firstRecordAt) / 1000;
process.stderr.write(`bench: pusher consumed in ${((consumedAt - firstRecordAt) / 1000).toFixed(2)} s, delivered the rest in ${((deliveredAt - consumedAt) / 1000).toFixed(2)} s\n`);
const status = measured();
process.stdout.write(
  `${JSON.stringify({
    seconds,
    records_in_scope: expected,
    records_delivered: status?.records_delivered,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    jobs_delivered: timed().reduce((sum, s) => sum + s.records_delivered, 0),
    batches: status?.batches_delivered,
    bytes_uncompressed: status?.bytes_uncompressed,
    bytes_compressed: status?.bytes_compressed,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    threads,
    others: pusher.statuses().filter((s) => s.id !== measuredId),
  })}\n`,
);
process.exit(0);
