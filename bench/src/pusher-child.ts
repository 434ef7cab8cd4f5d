// One pusher process running the jobs of a jobs file until the measured job has consumed the expected records; prints its figures.
// Run as: node pusher-child.js <jobs.json> <expectedRecords> [measuredJobId]   (default: the file's first job)
import { createKafkaClient, parseBrokers } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { defaultDestinations } from '@sluice/destinations';
import { createPusher, loadJobsFile } from '@sluice/pusher';
import type { JobStatus } from '@sluice/pusher';

const [jobsFile, expectedText, measuredText] = process.argv.slice(2);
const expected = Number(expectedText);
const { jobs, customFields } = await loadJobsFile(jobsFile ?? '', defaultDestinations);
// Beside the measured job, another may fail on purpose: its retry warnings would drown the output.
const logger = createLogger({ name: 'bench-pusher', level: jobs.length === 1 ? 'warn' : 'error' });
const kafka = createKafkaClient({ brokers: parseBrokers(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'), clientId: 'bench-pusher', logger });
const measuredId = measuredText === undefined ? jobs[0]?.id : Number(measuredText);
const pusher = createPusher({ jobs, customFields, kafka, destinations: defaultDestinations, logger });
await pusher.start();

const measured = (): JobStatus | undefined => pusher.statuses().find((s) => s.id === measuredId);
let firstRecordAt = 0;
await new Promise<void>((resolve) => {
  const poll = setInterval(() => {
    const status = measured();
    if (!status) return;
    if (firstRecordAt === 0 && status.records_consumed > 0) firstRecordAt = performance.now();
    if (status.records_consumed - status.records_out_of_scope >= expected) {
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
const keptRecords = (): number => {
  const s = measured();
  return s ? expected - s.records_filtered_out - s.records_sampled_out - s.records_dead_lettered : expected;
};
while ((measured()?.records_delivered ?? 0) < keptRecords()) await new Promise((resolve) => setTimeout(resolve, 2));
deliveredAt = performance.now();
// Other jobs are not measured: one whose destination is down would hold stop() for its whole deadline.
if (jobs.length === 1) await stopped;
const seconds = (deliveredAt - firstRecordAt) / 1000;
process.stderr.write(`bench: pusher consumed in ${((consumedAt - firstRecordAt) / 1000).toFixed(2)} s, delivered the rest in ${((deliveredAt - consumedAt) / 1000).toFixed(2)} s\n`);
const status = measured();
process.stdout.write(
  `${JSON.stringify({
    seconds,
    records_in_scope: expected,
    records_delivered: status?.records_delivered,
    batches: status?.batches_delivered,
    bytes_uncompressed: status?.bytes_uncompressed,
    bytes_compressed: status?.bytes_compressed,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    others: pusher.statuses().filter((s) => s.id !== measuredId),
  })}\n`,
);
process.exit(0);
