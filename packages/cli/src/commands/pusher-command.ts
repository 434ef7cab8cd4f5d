// `sluice pusher --jobs FILE`: runs push jobs from a jobs file until stopped or idle.
import type { Command } from 'commander';
import { defaultDestinations } from '@sluice/destinations';
import { createPusher, loadJobsFile, startStatusServer } from '@sluice/pusher';
import { commandLogger, kafkaFromEnv, onShutdownSignal, parsePort, parsePositiveNumber, say } from '../runtime.js';

interface PusherFlags {
  jobs: string;
  exitWhenIdle?: number;
  statusPort?: number;
  autoDisableAfter?: number;
}

export function registerPusherCommand(program: Command): void {
  program
    .command('pusher')
    .description('run the push jobs of a jobs file: Kafka → batches → destinations')
    .requiredOption('--jobs <file>', 'a JSON file of the form {"jobs":[...]}')
    .option('--exit-when-idle <seconds>', 'flush, commit and exit after this long without new records', parsePositiveNumber('--exit-when-idle'))
    .option('--status-port <port>', 'serve each job\'s health as JSON on 127.0.0.1:<port> (/status, /healthz)', parsePort('--status-port'))
    .option('--auto-disable-after <seconds>', 'disable a job whose destination has failed this long without a success (default 86400, as Logpush)', parsePositiveNumber('--auto-disable-after'))
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
        ...(flags.autoDisableAfter !== undefined ? { delivery: { autoDisableAfterMs: flags.autoDisableAfter * 1000 } } : {}),
        onEvent: (event) => {
          if (event.type === 'batch-delivered') say(`pusher: job ${event.jobId} stored ${event.records} records → ${event.location}`);
          if (event.type === 'job-disabled') say(`pusher: job ${event.jobId} disabled: ${event.reason}`);
        },
      });
      onShutdownSignal(async (signal) => {
        say(`pusher: ${signal}: delivering open batches, then stopping`);
        await pusher.stop();
      });
      await pusher.start();
      const status = flags.statusPort !== undefined ? await startStatusServer({ port: flags.statusPort, statuses: () => pusher.statuses() }) : undefined;
      if (status) say(`pusher: job status at ${status.url}/status`);
      await pusher.stopped;
      await status?.close();
      process.stdout.write(`${JSON.stringify({ jobs: pusher.statuses() })}\n`);
    });
}
