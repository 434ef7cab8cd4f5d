// `sluice destination validate <destination_conf>`: proves a destination takes writes, as Logpush's validation does.
import type { Command } from 'commander';
import { defaultDestinations, validateDestination } from '@sluice/destinations';
import { say } from '../runtime.js';

export function registerDestinationCommand(program: Command): void {
  const destination = program.command('destination').description('check destinations before a job uses them');
  destination
    .command('validate')
    .description('write the gzipped {"content":"tests"} to a destination (object stores: <dir>/<YYYYMMDD>/test.txt.gz) and report the result')
    .argument('<destination_conf>', 'a destination URI as a job would hold it, e.g. s3://bucket/dir?region=us-east-1')
    .option('--timeout <seconds>', 'give up after this long', '30')
    .action(async (conf: string, flags: { timeout: string }) => {
      const result = await validateDestination(defaultDestinations, conf, AbortSignal.timeout(Number(flags.timeout) * 1000));
      if (result.status === 'delivered') {
        say(`destination valid: wrote ${result.location}`);
        return;
      }
      const reason = result.status === 'invalid' ? `invalid destination_conf: ${result.message}` : `${result.status === 'retryable' ? 'failed (may pass later)' : 'refused'}: ${result.code}: ${result.message}`;
      say(`destination not valid: ${reason}`);
      process.exitCode = result.status === 'invalid' ? 2 : 1;
    });
}
