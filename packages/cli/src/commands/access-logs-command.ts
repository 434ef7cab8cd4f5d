// `sluice access-logs --account ID`: Access authentication events (logins, denied attempts) through the API's access_requests route.
import { CommanderError } from 'commander';
import type { Command } from 'commander';
import type { AccessLogView } from '@sluice/api';
import { formatAccessLogsTable } from '../access-logs/access-logs-table.js';
import { addApiConnectionOptions } from '../api-client/api-target.js';
import type { ApiConnectionFlags } from '../api-client/api-target.js';
import { connect } from '../api-client/connect.js';
import { reportApiFailure } from '../api-client/report-failure.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../command-io.js';
import type { CommandIo } from '../command-io.js';

/** The API's code for a parameter it refuses: locally a usage error. */
const INVALID_FIELD = 1001;
const CONTEXT = 'sluice access-logs';

export interface AccessLogsFlags extends ApiConnectionFlags {
  account?: string;
  since?: string;
  until?: string;
  limit?: string;
  direction?: string;
  email?: string;
  json?: boolean;
}

const HELP = `
Times are RFC 3339 (2026-01-31T12:00:00Z); the range is [since, until). --email matches a part of
the address (e.g. @example.com). The table goes to stdout, a count to stderr; --json prints the API's
{"result": [...], "result_info": {...}}. The API checks every value and names a bad one.
Exit: 0 listed (even none), 1 refused by the API or unreachable, 2 usage.`;

export function registerAccessLogsCommand(program: Command, io: CommandIo): void {
  addApiConnectionOptions(
    program
      .command('access-logs')
      .description('list the Access authentication events of an account (logins and denied attempts, newest first) through the API (see `sluice api`)')
      .requiredOption('--account <id>', 'the account (32 hex characters)')
      .option('--since <time>', 'events at or after this time (RFC 3339)')
      .option('--until <time>', 'events before this time (RFC 3339)')
      .option('--limit <n>', 'at most this many events (1–1000; the API defaults to 25)')
      .option('--direction <dir>', 'desc (newest first, the default) or asc')
      .option('--email <text>', 'only users whose email contains this text')
      .option('--json', "print the API's result and result_info as JSON instead of a table")
      .addHelpText('after', HELP)
      .exitOverride(usageErrorsExitTwo),
  ).action(async (flags: AccessLogsFlags) => io.setExitCode(await listAccessLogs(io, flags)));
}

export async function listAccessLogs(io: CommandIo, flags: AccessLogsFlags): Promise<number> {
  const api = connect(io, flags, CONTEXT);
  if (api === undefined) return EXIT_USAGE;
  const query = new URLSearchParams();
  for (const name of ['since', 'until', 'limit', 'direction', 'email'] as const) {
    const value = flags[name];
    if (value !== undefined) query.set(name, value);
  }
  const suffix = query.size > 0 ? `?${query.toString()}` : '';
  const answer = await api.client.request<AccessLogView[]>('GET', `${api.scope.path}/access/logs/access_requests${suffix}`);
  if (!answer.ok) {
    reportApiFailure(io, answer);
    return answer.kind === 'refused' && answer.errors.every((error) => error.code === INVALID_FIELD) ? EXIT_USAGE : EXIT_FAILED;
  }
  if (flags.json) {
    io.out(`${JSON.stringify({ result: answer.result, result_info: answer.resultInfo ?? {} }, null, 2)}\n`);
    return EXIT_OK;
  }
  if (answer.result.length > 0) io.out(formatAccessLogsTable(answer.result));
  const denied = answer.result.filter((event) => event.allowed === false).length;
  const total = answer.resultInfo?.['total_count'];
  io.err(`${answer.result.length} event${answer.result.length === 1 ? '' : 's'} (${denied} denied)${typeof total === 'number' && total > answer.result.length ? ` of ${total} matching` : ''}\n`);
  return EXIT_OK;
}

/** Commander exits 1 on a bad command line; for sluice a usage error is 2. */
function usageErrorsExitTwo(error: CommanderError): never {
  throw error.exitCode === 0 ? error : new CommanderError(EXIT_USAGE, error.code, error.message);
}
