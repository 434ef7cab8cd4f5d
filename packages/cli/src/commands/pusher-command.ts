// `sluice pusher --jobs FILE | --store kafka`: runs push jobs from a jobs file, or from the job store following it live.
import { Option } from 'commander';
import type { Command } from 'commander';
import { defaultDestinations } from '@sluice/destinations';
import type { DestinationRegistry } from '@sluice/destinations';
import { createKafkaHealthStore, createKafkaJobStore } from '@sluice/job-store';
import type { HealthStore, JobStore } from '@sluice/job-store';
import { createPusher, loadJobsFile, minUploadIntervalFromEnv, startStatusServer } from '@sluice/pusher';
import type { FixedJobsOptions, StoreJobsOptions } from '@sluice/pusher';
import type { Logger } from '@sluice/logging';
import type { Kafka } from 'kafkajs';
import { ALLOW_DESTINATION_HOSTS_HELP, allowListOf, guardedRegistry } from '../destination-policy.js';
import { commandLogger, kafkaFromEnv, onShutdownSignal, parsePort, parsePositiveNumber, say } from '../runtime.js';

interface PusherFlags {
  jobs?: string;
  store?: 'kafka';
  exitWhenIdle?: number;
  statusPort?: number;
  autoDisableAfter?: number;
  memoryBudgetMb?: number;
  sessionTimeout?: number;
  allowDestinationHosts?: string;
}

/** Where the jobs come from: the file's fixed list, or the store (with the health store beside it). */
interface JobsFrom {
  jobs: FixedJobsOptions | (StoreJobsOptions & { health: HealthStore });
  close(): Promise<void>;
}

async function jobsFrom(flags: PusherFlags, kafka: () => Kafka, logger: Logger, destinations: DestinationRegistry): Promise<JobsFrom> {
  if (flags.jobs !== undefined) {
    const { jobs, customFields } = await loadJobsFile(flags.jobs, destinations);
    return { jobs: { jobs, customFields }, close: () => Promise.resolve() };
  }
  const minUploadIntervalSeconds = minUploadIntervalFromEnv();
  const store: JobStore = createKafkaJobStore({ kafka: kafka(), logger });
  const health: HealthStore = createKafkaHealthStore({ kafka: kafka(), logger });
  return {
    jobs: { store, health, ...(minUploadIntervalSeconds !== undefined ? { minUploadIntervalSeconds } : {}) },
    close: async () => {
      await Promise.all([store.close(), health.close()]);
    },
  };
}

export function registerPusherCommand(program: Command): void {
  program
    .command('pusher')
    .description('run push jobs: Kafka → batches → destinations, from a jobs file or from the job store the jobs API writes')
    .addOption(new Option('--jobs <file>', 'file mode: run the jobs of a JSON file of the form {"jobs":[...]}').conflicts('store'))
    .addOption(new Option('--store <kind>', 'API mode: run the enabled jobs of the job store and follow its changes live (KAFKA_BROKERS)').choices(['kafka']))
    .option('--exit-when-idle <seconds>', 'flush, commit and exit after this long without new records', parsePositiveNumber('--exit-when-idle'))
    .option('--status-port <port>', 'serve each job\'s health as JSON on 127.0.0.1:<port> (/status, /healthz)', parsePort('--status-port'))
    .option('--auto-disable-after <seconds>', 'disable a job whose destination has failed this long without a success (default 86400, as Logpush)', parsePositiveNumber('--auto-disable-after'))
    .option('--memory-budget-mb <mb>', 'batch memory of all jobs together; a job reaching it seals early or pauses reading (default 128)', parsePositiveNumber('--memory-budget-mb'))
    .option('--allow-destination-hosts <list>', `with --store kafka: ${ALLOW_DESTINATION_HOSTS_HELP}`)
    .option('--session-timeout <seconds>', 'how soon a worker that died loses its partitions to the others (Kafka group session; default 30, at least the broker\'s minimum, usually 6)', parsePositiveNumber('--session-timeout'))
    .action(async (flags: PusherFlags, command: Command) => {
      if (flags.jobs === undefined && flags.store === undefined) {
        command.error('error: say where the jobs come from: --jobs <file> (a jobs file) or --store kafka (the job store the jobs API writes)', { exitCode: 2, code: 'sluice.pusher.noJobs' });
      }
      const logger = commandLogger('pusher');
      let kafka: Kafka | undefined;
      const kafkaClient = (): Kafka => (kafka ??= kafkaFromEnv(logger, 'sluice-pusher'));
      // Jobs from the store were written by API callers: their destinations connect only to public
      // addresses (or allowed ones), checked at connect. A jobs file is the operator's own.
      const destinations = flags.store !== undefined ? guardedRegistry(allowListOf(flags.allowDestinationHosts)) : defaultDestinations;
      const source = await jobsFrom(flags, kafkaClient, logger, destinations);
      const pusher = createPusher({
        ...source.jobs,
        kafka: kafkaClient(),
        destinations,
        logger,
        ...(flags.exitWhenIdle !== undefined ? { exitWhenIdleSeconds: flags.exitWhenIdle } : {}),
        ...(flags.memoryBudgetMb !== undefined ? { memoryBudgetBytes: Math.round(flags.memoryBudgetMb * 1024 * 1024) } : {}),
        delivery: {
          ...(flags.autoDisableAfter !== undefined ? { autoDisableAfterMs: flags.autoDisableAfter * 1000 } : {}),
          ...(flags.sessionTimeout !== undefined ? { sessionTimeoutMs: Math.round(flags.sessionTimeout * 1000) } : {}),
        },
        onEvent: (event) => {
          if (event.type === 'batch-delivered') say(`pusher: job ${event.jobId} stored ${event.records} records → ${event.location}`);
          if (event.type === 'job-disabled') say(`pusher: job ${event.jobId} disabled: ${event.reason}`);
          if (event.type === 'job-reconfigured') say(`pusher: job ${event.jobId} changed (${event.change}); restarting it`);
          if (event.type === 'job-refused') say(`pusher: job ${event.jobId} cannot run: ${event.message}`);
        },
      });
      onShutdownSignal(async (signal) => {
        say(`pusher: ${signal}: delivering open batches, then stopping`);
        await pusher.stop();
      });
      try {
        await pusher.start();
        if (flags.store !== undefined) say('pusher: following the job store; jobs created, changed or disabled through the API take effect within seconds');
        const status = flags.statusPort !== undefined ? await startStatusServer({ port: flags.statusPort, statuses: () => pusher.statuses() }) : undefined;
        if (status) say(`pusher: job status at ${status.url}/status`);
        await pusher.stopped;
        await status?.close();
      } finally {
        await source.close();
      }
      process.stdout.write(`${JSON.stringify({ jobs: pusher.statuses() })}\n`);
    });
}
