// `sluice pusher --jobs FILE`: runs push jobs from a jobs file until stopped or idle.
import type { Command } from 'commander';
import { defaultDestinations } from '@sluice/destinations';
import { createPusher, loadJobsFile } from '@sluice/pusher';
import { commandLogger, kafkaFromEnv, onShutdownSignal, parsePositiveNumber, say } from '../runtime.js';

interface PusherFlags {
  jobs: string;
  exitWhenIdle?: number;
}

export function registerPusherCommand(program: Command): void {
  program
    .command('pusher')
    .description('run the push jobs of a jobs file: Kafka → batches → destinations')
    .requiredOption('--jobs <file>', 'a JSON file of the form {"jobs":[...]}')
    .option('--exit-when-idle <seconds>', 'flush, commit and exit after this long without new records', parsePositiveNumber('--exit-when-idle'))
    .action(async (flags: PusherFlags) => {
      const { jobs, customFields } = await loadJobsFile(flags.jobs, defaultDestinations);
      const logger = commandLogger('pusher');
      const pusher = createPusher({
        jobs,
        customFields,
        kafka: kafkaFromEnv(logger, 'sluice-pusher'),
        destinations: defaultDestinations,
        logger,
        ...(flags.exitWhenIdle !== undefined ? { exitWhenIdleSeconds: flags.exitWhenIdle } : {}),
        onEvent: (event) => {
          if (event.type === 'batch-delivered') say(`pusher: job ${event.jobId} stored ${event.records} records → ${event.location}`);
        },
      });
      onShutdownSignal(async (signal) => {
        say(`pusher: ${signal}: delivering open batches, then stopping`);
        await pusher.stop();
      });
      await pusher.start();
      await pusher.stopped;
      process.stdout.write(`${JSON.stringify({ jobs: pusher.statuses() })}\n`);
    });
}
