// `sluice audit user <email>`: every request one user made in a time range, in order, read by the jobs API from what a job stored in S3.
import { CommanderError } from 'commander';
import type { Command } from 'commander';
import type { SessionRow } from '@sluice/api';
import { addApiConnectionOptions } from '../api-client/api-target.js';
import type { ApiConnectionFlags } from '../api-client/api-target.js';
import { connect } from '../api-client/connect.js';
import { reportApiFailure } from '../api-client/report-failure.js';
import { resolveAuditTime } from '../audit/audit-times.js';
import { formatSessionTable } from '../audit/session-table.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../command-io.js';
import type { CommandIo } from '../command-io.js';

/** The API's code for a query parameter it refuses: locally a usage error. */
const INVALID_FIELD = 1001;
const CONTEXT = 'sluice audit user';

export interface AuditUserFlags extends ApiConnectionFlags {
  zone?: string;
  since: string;
  until?: string;
  job?: string;
  limit?: string;
  json?: boolean;
}

const HELP = `
Reads the objects of the zone's enabled http_requests job to s3:// or r2:// whose field_names include
EdgeStartTimestamp and RequestHeaders (the zone logging the cf-access-user header), or of --job.
Only the objects whose key times fall near the range are read. Times are RFC 3339
(2026-01-31T12:00:00Z) or durations back from now (90m, 12h, 7d); the range is [since, until).
The table goes to stdout, the summary to stderr; --json prints {"result": [...], "result_info": {...}}.
Exit: 0 listed (even none), 1 refused by the API or unreachable, 2 usage.`;

export function registerAuditCommand(program: Command, io: CommandIo): void {
  const audit = program
    .command('audit')
    .description("reconstruct what a user did from a job's stored per-request logs, through the jobs API (see `sluice api`)")
    .exitOverride(usageErrorsExitTwo);
  addApiConnectionOptions(
    audit
      .command('user')
      .description('list every request a user made in a time range, in order')
      .argument('<email>', 'the user, exactly as RequestHeaders.cf-access-user holds it')
      .requiredOption('--zone <id>', 'the zone (32 hex characters)')
      .requiredOption('--since <time>', 'start of the range, inclusive: RFC 3339 or a duration back from now (e.g. 24h)')
      .option('--until <time>', 'end of the range, exclusive (default: now)')
      .option('--job <id>', "the job whose objects to read (default: the zone's job that stores the user)")
      .option('--limit <n>', 'at most this many requests, the earliest (the API allows 1–10000; default 1000)')
      .option('--json', 'print the API result and result_info as JSON instead of a table')
      .addHelpText('after', HELP)
      .exitOverride(usageErrorsExitTwo),
  ).action(async (email: string, flags: AuditUserFlags) => io.setExitCode(await auditUser(io, email, flags, Date.now())));
}

export async function auditUser(io: CommandIo, email: string, flags: AuditUserFlags, nowMs: number): Promise<number> {
  const api = connect(io, flags, CONTEXT);
  if (api === undefined) return EXIT_USAGE;
  const query = new URLSearchParams({ email });
  for (const [flag, name, value] of [['--since', 'since', flags.since], ['--until', 'until', flags.until]] as const) {
    if (value === undefined) continue;
    const time = resolveAuditTime(flag, value, nowMs);
    if (!time.ok) {
      io.err(`${CONTEXT}: ${time.message}\n`);
      return EXIT_USAGE;
    }
    query.set(name, time.time);
  }
  if (flags.job !== undefined) query.set('job_id', flags.job);
  if (flags.limit !== undefined) query.set('limit', flags.limit);
  const answer = await api.client.request<SessionRow[]>('GET', `${api.scope.path}/sluice/audit?${query.toString()}`);
  if (!answer.ok) {
    reportApiFailure(io, answer);
    return answer.kind === 'refused' && answer.errors.every((error) => error.code === INVALID_FIELD) ? EXIT_USAGE : EXIT_FAILED;
  }
  const info = answer.resultInfo ?? {};
  if (flags.json) {
    io.out(`${JSON.stringify({ result: answer.result, result_info: info }, null, 2)}\n`);
  } else if (answer.result.length > 0) {
    io.out(formatSessionTable(answer.result));
  }
  io.err(`${answer.result.length} request${answer.result.length === 1 ? '' : 's'} by ${email} (job ${shown(info['job_id'])}; objects read ${shown(info['objects_scanned'])}, skipped ${shown(info['objects_skipped'])})\n`);
  if (info['truncated'] === true) {
    const last = answer.result.at(-1)?.time;
    io.err(`sluice: truncated (${shown(info['truncated_by'])}): the range may hold more; ${last !== undefined ? `continue with --since ${last}` : 'narrow the range'}\n`);
  }
  return EXIT_OK;
}

/** A number or word from result_info, or "?" when the API sent something else. */
function shown(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '?';
}

/** Commander exits 1 on a bad command line; for sluice a usage error is 2. */
function usageErrorsExitTwo(error: CommanderError): never {
  throw error.exitCode === 0 ? error : new CommanderError(EXIT_USAGE, error.code, error.message);
}
