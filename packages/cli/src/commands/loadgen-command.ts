// `sluice loadgen`: publishes synthetic http_requests records and prints a JSON summary.
import type { Command } from 'commander';
import { runLoadgen } from '@sluice/edge';
import { commandLogger, kafkaFromEnv, onShutdownSignal, parsePositiveNumber, say } from '../runtime.js';

interface LoadgenFlags {
  records: number;
  rate?: number;
  zones: string;
  seed: number;
  dump?: string;
}

export function registerLoadgenCommand(program: Command): void {
  program
    .command('loadgen')
    .description('publish realistic synthetic http_requests records to Kafka')
    .option('--records <n>', 'how many records', parsePositiveNumber('--records'), 10_000)
    .option('--rate <r>', 'records per second (default: as fast as possible)', parsePositiveNumber('--rate'))
    .option('--zones <list>', 'comma-separated zone names', 'a.example,b.example')
    .option('--seed <s>', 'random seed', (t) => Number.parseInt(t, 10), 1)
    .option('--dump <file>', 'also write every published record as one JSON object per line')
    .action(async (flags: LoadgenFlags) => {
      const logger = commandLogger('loadgen');
      const kafka = kafkaFromEnv(logger, 'sluice-loadgen');
      const zones = flags.zones.split(',').map((z) => z.trim()).filter(Boolean);
      const abort = new AbortController();
      onShutdownSignal(() => abort.abort());
      let lastReport = Date.now();
      const summary = await runLoadgen({
        kafka,
        records: Math.floor(flags.records),
        ...(flags.rate !== undefined ? { ratePerSecond: flags.rate } : {}),
        zones,
        seed: flags.seed,
        ...(flags.dump !== undefined ? { dumpPath: flags.dump } : {}),
        signal: abort.signal,
        onProgress: (published) => {
          if (Date.now() - lastReport < 2_000) return;
          lastReport = Date.now();
          say(`loadgen: ${published} records published`);
        },
      });
      say(`loadgen: done, ${summary.published} records published`);
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    });
}
