// `sluice destination validate <destination_conf>`: proves a destination takes writes, as Logpush's validation does.
import type { Command } from 'commander';
import { defaultDestinations, validateDestination } from '@sluice/destinations';
import { addApiConnectionOptions, addScopeOptions } from '../api-client/api-target.js';
import type { ApiConnectionFlags, ScopeFlags } from '../api-client/api-target.js';
import { EXIT_FAILED, EXIT_USAGE, processIo } from '../command-io.js';
import type { CommandIo } from '../command-io.js';
import { parsePositiveNumber } from '../runtime.js';
import { validateDestinationViaApi } from '../via-api/destination-via-api.js';

interface ValidateFlags extends ApiConnectionFlags, ScopeFlags {
  timeout: number;
  api?: boolean;
}

export function registerDestinationCommand(program: Command, io: CommandIo = processIo()): void {
  const destination = program.command('destination').description('check destinations before a job uses them');
  const validate = destination
    .command('validate')
    .description(
      'write the gzipped {"content":"tests"} to a destination (object stores: <dir>/<YYYYMMDD>/test.txt.gz) and report the result: ' +
        'exit 0 written, 1 refused or failing, 2 the URI is unusable',
    )
    .argument('<destination_conf>', 'a destination URI as a job would hold it, e.g. s3://bucket/dir?region=us-east-1')
    .option('--timeout <seconds>', 'give up after this long', parsePositiveNumber('--timeout'), 30)
    .option('--api', 'ask the jobs API to write the test object instead (at --api-url, $SLUICE_API_URL or the default; needs --zone or --account)');
  addApiConnectionOptions(addScopeOptions(validate)).action(async (conf: string, flags: ValidateFlags) => {
    const timeoutMs = flags.timeout * 1000;
    // `--api`, or an explicit `--api-url`; SLUICE_API_URL alone does not switch modes.
    if (flags.api === true || flags.apiUrl !== undefined) {
      io.setExitCode(await validateDestinationViaApi(io, conf, flags, timeoutMs));
      return;
    }
    const result = await validateDestination(defaultDestinations, conf, AbortSignal.timeout(timeoutMs));
    if (result.status === 'delivered') {
      io.err(`destination valid: wrote ${result.location}\n`);
      return;
    }
    const reason = result.status === 'invalid' ? `invalid destination_conf: ${result.message}` : `${result.status === 'retryable' ? 'failed (may pass later)' : 'refused'}: ${result.code}: ${result.message}`;
    io.err(`destination not valid: ${reason}\n`);
    io.setExitCode(result.status === 'invalid' ? EXIT_USAGE : EXIT_FAILED);
  });
}
