// `sluice demo` (npm start): local Kafka and S3, steady synthetic traffic, the example job pushing to S3.
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { defaultDestinations } from '@sluice/destinations';
import { s3ClientFor } from '../local-s3.js';
import { infraUp } from '@sluice/infra-local';
import type { InfraEnv } from '@sluice/infra-local';
import { runLoadgen } from '@sluice/edge';
import { createPusher, loadJobsFile } from '@sluice/pusher';
import { createLogger } from '@sluice/logging';
import { kafkaFromEnv, onShutdownSignal, parsePositiveNumber, say } from '../runtime.js';

export const EXAMPLE_JOBS_FILE = fileURLToPath(new URL('../../../../../examples/jobs.local.json', import.meta.url));
export const DEMO_BUCKET = 'sluice-demo';

async function createBucket(env: InfraEnv): Promise<void> {
  const client = s3ClientFor(env);
  try {
    await client.send(new CreateBucketCommand({ Bucket: DEMO_BUCKET }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  } finally {
    client.destroy();
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the end-to-end demo behind `npm start`')
    .option('--rate <r>', 'synthetic records per second', parsePositiveNumber('--rate'), 500)
    .option('--jobs <file>', 'jobs file', EXAMPLE_JOBS_FILE)
    .action(async (flags: { rate: number; jobs: string }) => {
      say('sluice demo: starting local Kafka and S3 (the first run downloads them from Maven Central)…');
      const env = await infraUp({ log: (line) => say(`  ${line}`) });
      await createBucket(env);
      process.env['KAFKA_BROKERS'] ??= env.KAFKA_BROKERS;
      // The demo prints its own progress; only warnings and errors go to the JSON log.
      const logger = createLogger({ name: 'demo', level: process.env['SLUICE_LOG_LEVEL'] === undefined ? 'warn' : undefined });
      const kafka = kafkaFromEnv(logger, 'sluice-demo');
      const { jobs, customFields } = await loadJobsFile(flags.jobs, defaultDestinations);
      let stored = 0;
      let storedRecords = 0;
      let published = 0;
      let firstObject = true;
      const pusher = createPusher({
        jobs,
        customFields,
        kafka,
        destinations: defaultDestinations,
        logger,
        onEvent: (event) => {
          if (event.type !== 'batch-delivered') return;
          stored++;
          storedRecords += event.records;
          say(`  stored ${event.records} records → ${event.location}`);
          if (firstObject) {
            firstObject = false;
            say(`  read it: npx sluice cat ${event.location} | head -3`);
          }
        },
      });
      await pusher.start();
      say(`sluice demo: job(s) ${jobs.map((j) => `${j.id} "${j.name}"`).join(', ')} running; publishing ${flags.rate} records/s over a.example, b.example, c.example`);
      say('sluice demo: objects land every ~30 s (max_upload_interval_seconds); Ctrl-C stops everything cleanly');
      const abort = new AbortController();
      const progress = setInterval(() => say(`sluice demo: ${published} records published, ${stored} batches stored (${storedRecords} records)`), 10_000);
      const loadgen = runLoadgen({
        kafka,
        records: Infinity,
        ratePerSecond: flags.rate,
        zones: ['a.example', 'b.example', 'c.example'],
        seed: Date.now() % 100_000,
        signal: abort.signal,
        onProgress: (n) => (published = n),
      });
      onShutdownSignal(async () => {
        say('\nsluice demo: stopping: loadgen, then the pusher delivers its open batches');
        abort.abort();
        await loadgen.catch(() => undefined);
        await pusher.stop();
      });
      await loadgen;
      await pusher.stopped;
      clearInterval(progress);
      say(`sluice demo: stopped after ${published} records published and ${stored} batches stored; \`npm run infra:down\` stops Kafka and S3`);
    });
}
