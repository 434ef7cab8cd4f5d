// `sluice pusher --jobs FILE | --store kafka`: runs push jobs from a jobs file, or from the job store following it live.
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { defaultDestinations } from '@sluice/destinations';
import type { DestinationRegistry } from '@sluice/destinations';
import { createKafkaHealthStore, createKafkaJobStore } from '@sluice/job-store';
import type { HealthStore, JobStore } from '@sluice/job-store';
import { kafkaSecurityFromEnv, parseBrokers } from '@sluice/kafka';
import { createPusher, createThreadedPusher, DEFAULT_THREAD_HEAP_MB, defaultThreadCount, loadJobsFile, minUploadIntervalFromEnv, parseThreadCount, parseThreadHeapMb } from '@sluice/pusher';
import type { DeliveryKnobs, FixedJobsOptions, Pusher, PusherEventListener, PusherThreadSettings, StoreJobsOptions, ThreadedPusher, ThreadInfo } from '@sluice/pusher';
import { pusherEndpoints } from './pusher-endpoints.js';
import type { Logger } from '@sluice/logging';
import type { Kafka } from 'kafkajs';
import { ALLOW_DESTINATION_HOSTS_ENV, ALLOW_DESTINATION_HOSTS_HELP, allowListOf, guardedRegistry } from '../destination-policy.js';
import { commandLogger, DEFAULT_BROKERS, kafkaFromEnv, onShutdownSignal, parsePort, parsePositiveNumber, say } from '../runtime.js';

interface PusherFlags {
  jobs?: string;
  store?: 'kafka';
  exitWhenIdle?: number;
  statusPort?: number;
  autoDisableAfter?: number;
  memoryBudgetMb?: number;
  sessionTimeout?: number;
  allowDestinationHosts?: string;
  threads?: number;
  threadHeapMb?: number;
  metricsPort?: number;
  metricsHost?: string;
}

/** `--threads`: 1 to 64 (MAX_PUSHER_THREADS), refused with the flag and the value otherwise. */
export function parseThreadsFlag(text: string): number {
  const parsed = parseThreadCount(text, '--threads');
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return parsed.threads;
}

/** `--thread-heap-mb`: a whole number of MB from 128 to 65536, refused with the flag and the value otherwise. */
export function parseThreadHeapFlag(text: string): number {
  const parsed = parseThreadHeapMb(text, '--thread-heap-mb');
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return parsed.heapMb ?? DEFAULT_THREAD_HEAP_MB;
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

/**
 * Several threads: each builds its own Kafka client, destinations and jobs from these plain settings. The jobs file
 * was loaded (and validated) here already; the store is read by each thread, the merged health published from here.
 */
function threadedPusher(flags: PusherFlags, threads: number, kafka: () => Kafka, logger: Logger, common: CommonSettings): { pusher: ThreadedPusher; close(): Promise<void> } {
  const settings: PusherThreadSettings = {
    kafka: { brokers: parseBrokers(process.env['KAFKA_BROKERS'] ?? DEFAULT_BROKERS), clientId: 'sluice-pusher', security: kafkaSecurityFromEnv(process.env) },
    jobs: flags.jobs !== undefined ? { kind: 'file', path: flags.jobs } : { kind: 'store', ...minUploadInterval() },
    destinations: flags.store !== undefined ? { kind: 'guarded', allowHosts: flags.allowDestinationHosts ?? process.env[ALLOW_DESTINATION_HOSTS_ENV] ?? '' } : { kind: 'default' },
    logLevel: logger.level,
    delivery: common.delivery,
    ...(common.exitWhenIdleSeconds !== undefined ? { exitWhenIdleSeconds: common.exitWhenIdleSeconds } : {}),
  };
  const health = flags.store !== undefined ? createKafkaHealthStore({ kafka: kafka(), logger }) : undefined;
  const pusher = createThreadedPusher({
    threads,
    settings,
    logger,
    onEvent: common.onEvent,
    ...(health ? { health } : {}),
    ...(common.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: common.memoryBudgetBytes } : {}),
    ...(flags.threadHeapMb !== undefined ? { threadHeapMb: flags.threadHeapMb } : {}),
  });
  return { pusher, close: async () => health?.close() };
}

function minUploadInterval(): { minUploadIntervalSeconds?: number } {
  const seconds = minUploadIntervalFromEnv();
  return seconds !== undefined ? { minUploadIntervalSeconds: seconds } : {};
}

/** What both ways of running share, from the flags. */
interface CommonSettings {
  exitWhenIdleSeconds?: number;
  memoryBudgetBytes?: number;
  delivery: DeliveryKnobs;
  onEvent: PusherEventListener;
}

function commonSettings(flags: PusherFlags, observe: PusherEventListener): CommonSettings {
  return {
    ...(flags.exitWhenIdle !== undefined ? { exitWhenIdleSeconds: flags.exitWhenIdle } : {}),
    ...(flags.memoryBudgetMb !== undefined ? { memoryBudgetBytes: Math.round(flags.memoryBudgetMb * 1024 * 1024) } : {}),
    delivery: {
      ...(flags.autoDisableAfter !== undefined ? { autoDisableAfterMs: flags.autoDisableAfter * 1000 } : {}),
      ...(flags.sessionTimeout !== undefined ? { sessionTimeoutMs: Math.round(flags.sessionTimeout * 1000) } : {}),
    },
    onEvent: (event) => {
      observe(event);
      if (event.type === 'batch-delivered') say(`pusher: job ${event.jobId} stored ${event.records} records → ${event.location}`);
      if (event.type === 'job-disabled') say(`pusher: job ${event.jobId} disabled: ${event.reason}`);
      if (event.type === 'job-reconfigured') say(`pusher: job ${event.jobId} changed (${event.change}); restarting it`);
      if (event.type === 'job-refused') say(`pusher: job ${event.jobId} cannot run: ${event.message}`);
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
    .option('--status-port <port>', 'serve each job\'s health on 127.0.0.1:<port>: /status (JSON), /health/jobs (503 while a job fails), /metrics, /healthz, /readyz', parsePort('--status-port'))
    .option('--metrics-port <port>', 'serve Prometheus metrics (/metrics) and the liveness and readiness probes (/healthz, /readyz) on this port', parsePort('--metrics-port'))
    .option('--metrics-host <address>', 'address the metrics port listens on (default 127.0.0.1; 0.0.0.0 in a container)')
    .option('--auto-disable-after <seconds>', 'disable a job whose destination has failed this long without a success (default 86400, as Logpush)', parsePositiveNumber('--auto-disable-after'))
    .option('--memory-budget-mb <mb>', 'batch memory of all jobs together; a job reaching it seals early or pauses reading (default 128)', parsePositiveNumber('--memory-budget-mb'))
    .option('--allow-destination-hosts <list>', `with --store kafka: ${ALLOW_DESTINATION_HOSTS_HELP}`)
    .option('--threads <n>', 'worker threads, each one member of every job\'s consumer group so that Kafka spreads the partitions over the cores; the memory budget is shared out among them (1 to 64; default one per core)', parseThreadsFlag)
    .option('--thread-heap-mb <mb>', `with two threads or more: the cap of each thread's V8 old generation; lower keeps the RSS down at some CPU, and a thread past it is restarted (default ${DEFAULT_THREAD_HEAP_MB})`, parseThreadHeapFlag)
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
      const threads = flags.threads ?? defaultThreadCount();
      const endpoints = pusherEndpoints(flags, kafkaClient, logger);
      const common = commonSettings(flags, (event) => endpoints.observe(event));
      let source: { close(): Promise<void> };
      let pusher: Pusher;
      let threadInfo: (() => ThreadInfo[]) | undefined;
      if (threads === 1) {
        const fromJobs = await jobsFrom(flags, kafkaClient, logger, destinations);
        source = fromJobs;
        pusher = createPusher({
          ...fromJobs.jobs,
          kafka: kafkaClient(),
          destinations,
          logger,
          ...(common.exitWhenIdleSeconds !== undefined ? { exitWhenIdleSeconds: common.exitWhenIdleSeconds } : {}),
          ...(common.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: common.memoryBudgetBytes } : {}),
          delivery: common.delivery,
          onEvent: common.onEvent,
        });
      } else {
        // A bad jobs file stops the command here, once, before any thread starts.
        if (flags.jobs !== undefined) await loadJobsFile(flags.jobs, destinations);
        const threaded = threadedPusher(flags, threads, kafkaClient, logger, common);
        ({ pusher, ...source } = threaded);
        threadInfo = () => threaded.pusher.threads();
        say(`pusher: ${threads} threads, each a member of every job's consumer group`);
      }
      onShutdownSignal(async (signal) => {
        say(`pusher: ${signal}: delivering open batches, then stopping`);
        endpoints.running(false);
        await pusher.stop();
      });
      try {
        await endpoints.serve(pusher, threadInfo);
        await pusher.start();
        endpoints.running(true);
        if (flags.store !== undefined) say('pusher: following the job store; jobs created, changed or disabled through the API take effect within seconds');
        await pusher.stopped;
        endpoints.running(false);
      } finally {
        await endpoints.close();
        await source.close();
      }
      process.stdout.write(`${JSON.stringify({ jobs: pusher.statuses() })}\n`);
    });
}
