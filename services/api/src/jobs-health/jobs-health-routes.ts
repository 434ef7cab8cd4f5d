// Sluice's job health routes: every job of a zone or account (or one) with records delivered and consumer lag beside Logpush's fields.
import { Type } from '@sinclair/typebox';
import { ApiError } from '../api-errors.js';
import { jobIdOf, jobsIn } from '../routes/jobs-routes.js';
import { BOTH_SCOPES } from '../route-spec.js';
import type { ApiContext, RouteSpec } from '../route-spec.js';
import { jobHealthView } from './job-health-view.js';
import type { LagReader } from '@sluice/kafka';

const TextOrNull = Type.Union([Type.String(), Type.Null()]);
const CountOrNull = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);

export const JobHealthViewSchema = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  name: TextOrNull,
  dataset: Type.String(),
  enabled: Type.Boolean(),
  last_complete: TextOrNull,
  last_error: TextOrNull,
  error_message: TextOrNull,
  failing_since: TextOrNull,
  records_delivered: CountOrNull,
  consumer_lag: CountOrNull,
  lag_by_partition: Type.Array(Type.Object({ partition: Type.Integer({ minimum: 0 }), committed: CountOrNull, end: Type.Integer({ minimum: 0 }), lag: CountOrNull })),
  lag_error: TextOrNull,
  reported_at: TextOrNull,
  worker: TextOrNull,
});

export function jobsHealthRoutes(ctx: ApiContext, lag: LagReader | undefined): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/logpush/jobs/sluice/health',
      kinds: BOTH_SCOPES,
      operationId: 'listJobsHealth',
      summary: "Sluice: every job's health with records delivered and consumer lag (its group's committed offsets against the topic's end)",
      result: Type.Array(JobHealthViewSchema),
      errors: [],
      handle: (_request, scope) => Promise.all(jobsIn(ctx, scope).map((job) => jobHealthView(job, ctx.health.health().get(job.id), lag))),
    },
    {
      method: 'GET',
      path: '/logpush/jobs/{job_id}/sluice/health',
      kinds: BOTH_SCOPES,
      operationId: 'getJobHealth',
      summary: "Sluice: one job's health with records delivered and consumer lag per partition",
      result: JobHealthViewSchema,
      errors: ['JOB_NOT_FOUND'],
      handle: (request, scope) => {
        const id = jobIdOf(request);
        const job = jobsIn(ctx, scope).find((candidate) => candidate.id === id);
        if (job === undefined) throw new ApiError('JOB_NOT_FOUND', `job ${id} not found in ${scope.path}`);
        return jobHealthView(job, ctx.health.health().get(job.id), lag);
      },
    },
  ];
}
