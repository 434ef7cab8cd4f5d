// `sluice jobs list|get|apply|enable|disable|delete`: the jobs of a zone or account, through the jobs API.
import { readFile } from 'node:fs/promises';
import { CommanderError } from 'commander';
import type { Command } from 'commander';
import type { JobView } from '@sluice/api';
import { addApiConnectionOptions, addScopeOptions } from '../api-client/api-target.js';
import type { ApiConnectionFlags, ScopeFlags } from '../api-client/api-target.js';
import { connect } from '../api-client/connect.js';
import { reportApiFailure } from '../api-client/report-failure.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../command-io.js';
import type { CommandIo } from '../command-io.js';
import { applyJobs } from '../jobs/apply-jobs.js';
import { jobLabel } from '../jobs/job-label.js';
import { readJobsFile } from '../jobs/jobs-file.js';
import { formatJobsTable } from '../jobs/jobs-table.js';

type ApiFlags = ApiConnectionFlags & ScopeFlags;

const APPLY_HELP = `
The file is the pusher's jobs file: {"jobs":[...], "custom_fields":{"<zone id>":{...}}}. Jobs are
matched by name within the zone or account; ids, zone_id and account_id in the file are not sent (a
zone_id or account_id must be the one given). Each job in the file is described whole: a field it
leaves out means the API's default (null, enabled false), so removing "filter" clears the filter.
  no job of that name       → created <name> (id N)
  a job differs             → updated <name> (id N): <the fields sent>
  a job matches             → unchanged <name> (id N)
dataset and kind cannot change: such a file is refused before anything is written. Jobs of the zone
or account that the file does not name are left alone, unless --prune deletes them (deleted <name>
(id N), after every create and update). Custom fields in the file are PUT when they differ; a zone's
custom fields the file does not mention are left alone. At the first refusal the API's errors are
printed as "code: message" and the command exits 1; the lines above it were applied.
Exit: 0 applied (or planned, with --dry-run), 1 refused or unreachable, 2 usage.`;

export function registerJobsCommand(program: Command, io: CommandIo): void {
  const jobs = program
    .command('jobs')
    .description('manage Logpush jobs through the jobs API (see `sluice api`); exit 0 done, 1 refused by the API or unreachable, 2 usage')
    .exitOverride(usageErrorsExitTwo);

  withApi(jobs.command('list').description('list the jobs of the zone or account'))
    .option('--json', 'print the API result as JSON instead of a table')
    .action(async (flags: ApiFlags & { json?: boolean }) => io.setExitCode(await listJobs(io, flags)));

  withApi(jobs.command('get').description('print one job as JSON').argument('<id>', 'the job id'))
    .action(async (id: string, flags: ApiFlags) => io.setExitCode(await getJob(io, id, flags)));

  withApi(jobs.command('apply').description('create or update jobs by name from a jobs file, printing one line per job').addHelpText('after', APPLY_HELP))
    .requiredOption('-f, --file <file>', 'the jobs file: {"jobs":[...]}')
    .option('--dry-run', 'print what would change and change nothing')
    .option('--prune', 'delete the jobs of the zone or account that the file does not name')
    .action(async (flags: ApiFlags & { file: string; dryRun?: boolean; prune?: boolean }) => io.setExitCode(await applyFile(io, flags)));

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    withApi(jobs.command(name).description(`${name} a job (PUT {"enabled": ${enabled}})`).argument('<id>', 'the job id'))
      .action(async (id: string, flags: ApiFlags) => io.setExitCode(await setEnabled(io, id, enabled, flags)));
  }

  withApi(jobs.command('delete').description('delete a job').argument('<id>', 'the job id'))
    .action(async (id: string, flags: ApiFlags) => io.setExitCode(await deleteJob(io, id, flags)));
}

function withApi(command: Command): Command {
  return addApiConnectionOptions(addScopeOptions(command));
}

/** Commander exits 1 on a bad command line; for these commands a usage error is 2, as everywhere else in sluice. */
function usageErrorsExitTwo(error: CommanderError): never {
  throw error.exitCode === 0 ? error : new CommanderError(EXIT_USAGE, error.code, error.message);
}

async function listJobs(io: CommandIo, flags: ApiFlags & { json?: boolean }): Promise<number> {
  const api = connect(io, flags, 'sluice jobs list');
  if (api === undefined) return EXIT_USAGE;
  const listed = await api.client.request<JobView[]>('GET', `${api.scope.path}/logpush/jobs`);
  if (!listed.ok) return refused(io, listed);
  io.out(flags.json ? `${JSON.stringify(listed.result, null, 2)}\n` : formatJobsTable(listed.result));
  return EXIT_OK;
}

async function getJob(io: CommandIo, idText: string, flags: ApiFlags): Promise<number> {
  const target = jobTarget(io, idText, flags, 'sluice jobs get');
  if (target === undefined) return EXIT_USAGE;
  const job = await target.api.client.request<JobView>('GET', target.path);
  if (!job.ok) return refused(io, job);
  io.out(`${JSON.stringify(job.result, null, 2)}\n`);
  return EXIT_OK;
}

async function setEnabled(io: CommandIo, idText: string, enabled: boolean, flags: ApiFlags): Promise<number> {
  const target = jobTarget(io, idText, flags, `sluice jobs ${enabled ? 'enable' : 'disable'}`);
  if (target === undefined) return EXIT_USAGE;
  const job = await target.api.client.request<JobView>('PUT', target.path, { enabled });
  if (!job.ok) return refused(io, job);
  io.out(`${enabled ? 'enabled' : 'disabled'} ${jobLabel(job.result.name, job.result.id)}\n`);
  return EXIT_OK;
}

async function deleteJob(io: CommandIo, idText: string, flags: ApiFlags): Promise<number> {
  const target = jobTarget(io, idText, flags, 'sluice jobs delete');
  if (target === undefined) return EXIT_USAGE;
  const deleted = await target.api.client.request<{ id: number }>('DELETE', target.path);
  if (!deleted.ok) return refused(io, deleted);
  io.out(`deleted ${jobLabel(null, deleted.result.id)}\n`);
  return EXIT_OK;
}

async function applyFile(io: CommandIo, flags: ApiFlags & { file: string; dryRun?: boolean; prune?: boolean }): Promise<number> {
  const context = 'sluice jobs apply';
  const api = connect(io, flags, context);
  if (api === undefined) return EXIT_USAGE;
  let text: string;
  try {
    text = await readFile(flags.file, 'utf8');
  } catch (error) {
    io.err(`${context}: cannot read ${flags.file}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  const file = readJobsFile(text, api.scope);
  if (!file.ok) {
    io.err(`${context}: ${flags.file} cannot be applied:\n${file.issues.map((issue) => `  ${issue}\n`).join('')}`);
    return EXIT_USAGE;
  }
  return applyJobs(io, api.client, api.scope, file.wanted, { dryRun: flags.dryRun === true, prune: flags.prune === true });
}

/** The client and the job's path, or undefined after a usage error. */
function jobTarget(io: CommandIo, idText: string, flags: ApiFlags, context: string) {
  if (!/^[1-9][0-9]*$/.test(idText) || !Number.isSafeInteger(Number(idText))) {
    io.err(`${context}: the job id must be an integer ≥ 1, got "${idText}"\n`);
    return undefined;
  }
  const api = connect(io, flags, context);
  return api === undefined ? undefined : { api, path: `${api.scope.path}/logpush/jobs/${idText}` };
}

function refused(io: CommandIo, failure: Parameters<typeof reportApiFailure>[1]): number {
  reportApiFailure(io, failure);
  return EXIT_FAILED;
}
