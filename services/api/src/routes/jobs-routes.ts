// Logpush jobs: list, create, get, update (a merge), delete — under a zone or an account.
import type { FastifyRequest } from 'fastify';
import { parseJob } from '@sluice/pipeline';
import type { StoredJob } from '@sluice/job-store';
import { ApiError, fieldError, invalidFields } from '../api-errors.js';
import { DeletedJobSchema, JobCreateBodySchema, JobListSchema, JobUpdateBodySchema, JobViewSchema } from '../api-schemas.js';
import type { RouteScope } from '../auth/scope-guard.js';
import { draftNewJob, draftUpdatedJob, immutableIssues, isObject, toStored } from '../job-body.js';
import { toJobView } from '../job-view.js';
import type { JobView } from '../job-view.js';
import { requireAllowedAddress } from '../destination-checks.js';
import { redactDestinationConf } from '../redact-conf.js';
import { requireOwnership } from '../require-ownership.js';
import { BOTH_SCOPES } from '../route-spec.js';
import type { ApiContext, RouteSpec } from '../route-spec.js';

/** Logpush's own words when a zone has as many jobs as it may (Cloudflare allows 4). */
export const MAX_JOBS_MESSAGE = 'creating a new job is not allowed: exceeded max jobs allowed';

export function jobsRoutes(ctx: ApiContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/logpush/jobs',
      kinds: BOTH_SCOPES,
      operationId: 'listJobs',
      summary: 'List the Logpush jobs of the zone or account (no pagination)',
      result: JobListSchema,
      errors: [],
      handle: (_request, scope) => Promise.resolve(jobsIn(ctx, scope).map((job) => view(ctx, job, scope))),
    },
    {
      method: 'POST',
      path: '/logpush/jobs',
      kinds: BOTH_SCOPES,
      operationId: 'createJob',
      summary: 'Create a job (disabled unless enabled is true)',
      body: JobCreateBodySchema,
      result: JobViewSchema,
      errors: ['INVALID_FIELD', 'MAX_JOBS_EXCEEDED', 'OWNERSHIP_REFUSED', 'OWNERSHIP_UNAVAILABLE', 'DESTINATION_NOT_ALLOWED'],
      handle: (request, scope) => createJob(ctx, request, scope),
    },
    {
      method: 'GET',
      path: '/logpush/jobs/{job_id}',
      kinds: BOTH_SCOPES,
      operationId: 'getJob',
      summary: 'Get a job, with last_complete, last_error and error_message from the workers',
      result: JobViewSchema,
      errors: ['JOB_NOT_FOUND'],
      handle: (request, scope) => Promise.resolve(view(ctx, findJob(ctx, scope, jobIdOf(request)), scope)),
    },
    {
      method: 'PUT',
      path: '/logpush/jobs/{job_id}',
      kinds: BOTH_SCOPES,
      operationId: 'updateJob',
      summary: 'Update a job: the fields sent replace the stored ones; dataset and kind cannot change',
      body: JobUpdateBodySchema,
      result: JobViewSchema,
      errors: ['JOB_NOT_FOUND', 'INVALID_FIELD', 'IMMUTABLE_FIELD', 'OWNERSHIP_REFUSED', 'OWNERSHIP_UNAVAILABLE', 'DESTINATION_NOT_ALLOWED'],
      handle: (request, scope) => updateJob(ctx, request, scope),
    },
    {
      method: 'DELETE',
      path: '/logpush/jobs/{job_id}',
      kinds: BOTH_SCOPES,
      operationId: 'deleteJob',
      summary: 'Delete a job',
      result: DeletedJobSchema,
      errors: ['JOB_NOT_FOUND'],
      handle: (request, scope) => {
        const id = jobIdOf(request);
        return ctx.serial(async () => {
          findJob(ctx, scope, id);
          await ctx.store.deleteJob(id);
          return { id };
        });
      },
    },
  ];
}

async function createJob(ctx: ApiContext, request: FastifyRequest, scope: RouteScope): Promise<JobView> {
  const draft = draftNewJob(request.body, scope);
  if (!draft.ok) throw invalidFields(draft.issues);
  const parsed = parseJob(draft.document, ctx.parseJobOptions);
  if (!parsed.ok) throw invalidFields(parsed.issues);
  requireOwnership(ctx, scope, parsed.job.destinationConf, tokenOf(draft.document));
  await requireAllowedAddress(ctx, parsed.job.destinationConf);
  return ctx.serial(async () => {
    if (jobsIn(ctx, scope).length >= ctx.maxJobsPerZone) {
      throw new ApiError('MAX_JOBS_EXCEEDED', `${MAX_JOBS_MESSAGE} (${ctx.maxJobsPerZone} per ${scope.kind === 'zones' ? 'zone' : 'account'})`);
    }
    const job = toStored(draft.document, await ctx.store.nextJobId());
    await ctx.store.putJob(job);
    return view(ctx, job, scope);
  });
}

async function updateJob(ctx: ApiContext, request: FastifyRequest, scope: RouteScope): Promise<JobView> {
  const id = jobIdOf(request);
  const body = request.body;
  // Resolved before the serial section, so that a slow DNS answer holds up no other write. A conf
  // equal to the stored one was vetted when it was stored.
  const conf = isObject(body) ? body['destination_conf'] : undefined;
  if (typeof conf === 'string' && conf !== findJob(ctx, scope, id).destination_conf) await requireAllowedAddress(ctx, conf);
  return ctx.serial(async () => {
    const existing = findJob(ctx, scope, id);
    const fixed = isObject(body) ? immutableIssues(body, existing) : [];
    if (fixed.length > 0) throw new ApiError('IMMUTABLE_FIELD', fixed.map((issue) => fieldError('IMMUTABLE_FIELD', issue.path, issue.message)));
    const draft = draftUpdatedJob(body, scope, existing);
    if (!draft.ok) throw invalidFields(draft.issues);
    const parsed = parseJob(draft.document, ctx.parseJobOptions);
    if (!parsed.ok) throw invalidFields(parsed.issues);
    if (parsed.job.destinationConf !== existing.destination_conf) requireOwnership(ctx, scope, parsed.job.destinationConf, tokenOf(draft.document));
    const job = toStored(draft.document, id);
    await ctx.store.putJob(job);
    return view(ctx, job, scope);
  });
}

/** The jobs of one zone or account, by id. */
export function jobsIn(ctx: ApiContext, scope: RouteScope): StoredJob[] {
  const key = scope.kind === 'zones' ? 'zone_id' : 'account_id';
  return [...ctx.store.jobs().values()].filter((job) => job[key] === scope.id).sort((a, b) => a.id - b.id);
}

/** A caller with only read access sees destination_conf with its credentials redacted. */
export function view(ctx: ApiContext, job: StoredJob, scope: RouteScope): JobView {
  const shown = toJobView(job, ctx.health.health().get(job.id));
  return scope.access === 'write' ? shown : { ...shown, destination_conf: redactDestinationConf(shown.destination_conf) };
}

/** A job of another zone or account is as absent as one that never existed. */
function findJob(ctx: ApiContext, scope: RouteScope, id: number): StoredJob {
  const job = ctx.store.jobs().get(id);
  const key = scope.kind === 'zones' ? 'zone_id' : 'account_id';
  if (job === undefined || job[key] !== scope.id) throw new ApiError('JOB_NOT_FOUND', `job ${id} not found in ${scope.path}`);
  return job;
}

/** The path's `{job_id}`, or INVALID_IDENTIFIER naming the bad value. */
export function jobIdOf(request: FastifyRequest): number {
  const text = (request.params as { job_id?: string }).job_id ?? '';
  const id = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(id)) {
    throw new ApiError('INVALID_IDENTIFIER', `Could not route to ${request.url.split('?')[0] ?? ''}, perhaps your object identifier is invalid? The job id "${text.slice(0, 64)}" is not an integer ≥ 1`);
  }
  return id;
}

function tokenOf(document: Record<string, unknown>): string | undefined {
  const token = document['ownership_challenge'];
  return typeof token === 'string' ? token : undefined;
}
