// Carries out `sluice jobs apply`: reads the zone or account, plans, then writes step by step, one line per job.
import type { JobView } from '@sluice/api';
import type { ApiClient, ApiFailure } from '../api-client/api-client.js';
import type { ApiScope } from '../api-client/api-target.js';
import { reportApiFailure } from '../api-client/report-failure.js';
import { EXIT_FAILED, EXIT_OK } from '../command-io.js';
import type { CommandIo } from '../command-io.js';
import { planApply } from './apply-plan.js';
import type { ApplyPlan, CustomFieldsStep, JobStep } from './apply-plan.js';
import type { WantedState } from './jobs-file.js';
import { jobLabel } from './job-label.js';

export interface ApplyOptions {
  dryRun: boolean;
  prune: boolean;
}

/** Cloudflare's code for a zone without a custom-fields ruleset: the zone simply has none yet. */
const RULESET_NOT_FOUND = 1008;
const CONTEXT = 'sluice jobs apply';

/** Exit 0 when everything was applied (or, with dryRun, planned); 1 at the first refusal, after the lines of what was done. */
export async function applyJobs(io: CommandIo, client: ApiClient, scope: ApiScope, wanted: WantedState, options: ApplyOptions): Promise<number> {
  const listed = await client.request<JobView[]>('GET', `${scope.path}/logpush/jobs`);
  if (!listed.ok) return failed(io, listed, `${CONTEXT}: cannot list the jobs of ${scope.path}`);
  const currentCustomFields = new Map<string, unknown>();
  for (const zoneId of wanted.customFields.keys()) {
    const current = await currentCustomFieldsOf(client, zoneId);
    if (!current.ok) return failed(io, current, `${CONTEXT}: cannot read the custom fields of zones/${zoneId}`);
    currentCustomFields.set(zoneId, current.result);
  }
  const plan = planApply({ wanted, existing: listed.result, currentCustomFields, prune: options.prune, scopePath: scope.path });
  if (!plan.ok) {
    for (const conflict of plan.conflicts) io.err(`${CONTEXT}: ${conflict}\n`);
    io.err(`${CONTEXT}: nothing was applied\n`);
    return EXIT_FAILED;
  }
  const code = await carryOut(io, client, scope, plan, options.dryRun);
  if (code !== EXIT_OK) return code;
  for (const job of plan.leftAlone) io.err(`left alone: ${jobLabel(job.name, job.id)} is in ${scope.path} but not in the file (--prune deletes such jobs)\n`);
  if (options.dryRun) io.err('dry run: nothing was changed\n');
  return EXIT_OK;
}

async function carryOut(io: CommandIo, client: ApiClient, scope: ApiScope, plan: Extract<ApplyPlan, { ok: true }>, dryRun: boolean): Promise<number> {
  for (const step of plan.customFields) {
    const failure = dryRun || step.action === 'unchanged' ? undefined : await putCustomFields(client, step);
    if (failure !== undefined) return failed(io, failure, `${CONTEXT}: updating the custom fields of zones/${step.zoneId} failed; stopped here`);
    io.out(`${step.action === 'unchanged' ? 'unchanged' : dryRun ? 'would update' : 'updated'} custom fields of zones/${step.zoneId}\n`);
  }
  for (const step of plan.jobs) {
    if (step.action === 'unchanged') {
      io.out(`unchanged ${jobLabel(step.name, step.id)}\n`);
      continue;
    }
    if (dryRun) {
      io.out(`${describe(step)}\n`);
      continue;
    }
    const done = await perform(client, scope, step);
    if (!done.ok) return failed(io, done, `${CONTEXT}: ${step.action === 'create' ? 'creating' : step.action === 'update' ? 'updating' : 'deleting'} ${jobLabel(step.name, 'id' in step ? step.id : undefined)} failed; stopped here`);
    io.out(`${describe(step, done.result)}\n`);
  }
  return EXIT_OK;
}

function perform(client: ApiClient, scope: ApiScope, step: Exclude<JobStep, { action: 'unchanged' }>) {
  switch (step.action) {
    case 'create':
      return client.request<{ id: number }>('POST', `${scope.path}/logpush/jobs`, step.body);
    case 'update':
      return client.request<{ id: number }>('PUT', `${scope.path}/logpush/jobs/${step.id}`, step.body);
    case 'delete':
      return client.request<{ id: number }>('DELETE', `${scope.path}/logpush/jobs/${step.id}`);
  }
}

/** `created audit (id 3)`, `updated audit (id 3): filter, enabled`, `deleted old (id 4)`; without a result, the dry run's `would …`. */
function describe(step: Exclude<JobStep, { action: 'unchanged' }>, result?: { id: number }): string {
  const verb = result === undefined ? `would ${step.action}` : `${step.action}d`;
  switch (step.action) {
    case 'create':
      return result === undefined ? `${verb} ${step.name}` : `${verb} ${jobLabel(step.name, result.id)}`;
    case 'update':
      return `${verb} ${jobLabel(step.name, step.id)}: ${step.fields.join(', ')}`;
    case 'delete':
      return `${verb} ${jobLabel(step.name, step.id)}`;
  }
}

async function currentCustomFieldsOf(client: ApiClient, zoneId: string): Promise<{ ok: true; result: unknown } | ApiFailure> {
  const ruleset = await client.request<{ rules: { action_parameters?: unknown }[] }>('GET', `zones/${zoneId}/rulesets/phases/http_log_custom_fields/entrypoint`);
  if (ruleset.ok) return { ok: true, result: ruleset.result.rules[0]?.action_parameters };
  if (ruleset.kind === 'refused' && ruleset.errors.every((error) => error.code === RULESET_NOT_FOUND)) return { ok: true, result: undefined };
  return ruleset;
}

async function putCustomFields(client: ApiClient, step: CustomFieldsStep): Promise<ApiFailure | undefined> {
  const body = { rules: [{ action: 'log_custom_field', expression: 'true', action_parameters: step.parameters }] };
  const put = await client.request('PUT', `zones/${step.zoneId}/rulesets/phases/http_log_custom_fields/entrypoint`, body);
  return put.ok ? undefined : put;
}

function failed(io: CommandIo, failure: ApiFailure, context: string): number {
  reportApiFailure(io, failure, context);
  return EXIT_FAILED;
}
