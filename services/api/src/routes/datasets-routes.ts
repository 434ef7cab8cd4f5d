// Datasets: the field catalog of a dataset, and the jobs that push it.
import type { FastifyRequest } from 'fastify';
import { datasetNames, getDataset, isDatasetName } from '@sluice/schemas';
import type { Dataset } from '@sluice/schemas';
import { ApiError } from '../api-errors.js';
import { DatasetFieldsSchema, JobListSchema } from '../api-schemas.js';
import type { RouteScope } from '../auth/scope-guard.js';
import { BOTH_SCOPES } from '../route-spec.js';
import type { ApiContext, RouteSpec } from '../route-spec.js';
import { jobsIn, view } from './jobs-routes.js';

export function datasetsRoutes(ctx: ApiContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/logpush/datasets/{dataset}/fields',
      kinds: BOTH_SCOPES,
      operationId: 'listDatasetFields',
      summary: 'The fields of a dataset, each with its description',
      result: DatasetFieldsSchema,
      errors: ['UNKNOWN_DATASET'],
      handle: (request, scope) => {
        const dataset = datasetOf(request, scope);
        return Promise.resolve(Object.fromEntries(dataset.fields.map((field) => [field.name, field.deprecated ? `${field.description} (deprecated)` : field.description])));
      },
    },
    {
      method: 'GET',
      path: '/logpush/datasets/{dataset}/jobs',
      kinds: BOTH_SCOPES,
      operationId: 'listDatasetJobs',
      summary: 'The jobs of the zone or account that push this dataset',
      result: JobListSchema,
      errors: ['UNKNOWN_DATASET'],
      handle: (request, scope) => {
        const dataset = datasetOf(request, scope);
        return Promise.resolve(jobsIn(ctx, scope).filter((job) => job.dataset === dataset.name).map((job) => view(ctx, job, scope)));
      },
    },
  ];
}

/** The dataset named in the path, which must live under this kind of scope. */
function datasetOf(request: FastifyRequest, scope: RouteScope): Dataset {
  const name = (request.params as { dataset?: string }).dataset ?? '';
  if (!isDatasetName(name)) {
    throw new ApiError('UNKNOWN_DATASET', `dataset "${name.slice(0, 64)}" not found; Sluice ships ${datasetNames.join(' and ')}`);
  }
  const dataset = getDataset(name);
  if ((dataset.scope === 'zone') !== (scope.kind === 'zones')) {
    throw new ApiError('UNKNOWN_DATASET', `dataset "${name}" not found under ${scope.kind}: it is ${dataset.scope === 'zone' ? 'a zone dataset (/zones/{zone_id}/…)' : 'an account dataset (/accounts/{account_id}/…)'}`);
  }
  return dataset;
}
