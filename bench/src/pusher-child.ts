// One pusher process running one job until it has consumed the expected records; prints its figures.
// Run as: node pusher-child.js <jobs.json> <expectedRecords>
import { createKafkaClient, parseBrokers } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { defaultDestinations } from '@sluice/destinations';
import { createPusher, loadJobsFile } from '@sluice/pusher';

const [jobsFile, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);
const logger = createLogger({ name: 'bench-pusher', level: 'warn' });
const kafka = createKafkaClient({ brokers: parseBrokers(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'), clientId: 'bench-pusher', logger });
const { jobs, customFields } = await loadJobsFile(jobsFile ?? '', defaultDestinations);
const pusher = createPusher({ jobs, customFields, kafka, destinations: defaultDestinations, logger });
await pusher.start();

let firstRecordAt = 0;
await new Promise<void>((resolve) => {
  const poll = setInterval(() => {
    const status = pusher.statuses()[0];
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
  const s = pusher.statuses()[0];
  return s ? expected - s.records_filtered_out - s.records_sampled_out - s.records_dead_lettered : expected;
};
while ((pusher.statuses()[0]?.records_delivered ?? 0) < keptRecords()) await new Promise((resolve) => setTimeout(resolve, 2));
deliveredAt = performance.now();
await stopped;
const seconds = (deliveredAt - firstRecordAt) / 1000;
process.stderr.write(`bench: pusher consumed in ${((consumedAt - firstRecordAt) / 1000).toFixed(2)} s, delivered the rest in ${((deliveredAt - consumedAt) / 1000).toFixed(2)} s\n`);
const status = pusher.statuses()[0];
process.stdout.write(
  `${JSON.stringify({
    seconds,
    records_in_scope: expected,
    records_delivered: status?.records_delivered,
    batches: status?.batches_delivered,
    bytes_uncompressed: status?.bytes_uncompressed,
    bytes_compressed: status?.bytes_compressed,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
process.exit(0);
