// GET /accounts/{account_id}/access/logs/access_requests: Access authentication events from the index, as Cloudflare's API answers them.
import { API_ERRORS, ApiError } from '../api-errors.js';
import type { ApiErrorItem } from '../api-errors.js';
import { withResultInfo } from '../envelope.js';
import type { RouteSpec } from '../route-spec.js';
import type { AccessLogStore } from './access-log-store.js';
import { parseAccessLogQuery } from './access-log-query.js';
import { AccessLogListSchema, AccessLogQuerySchema, AccessLogResultInfoSchema } from './access-log-schemas.js';
import { toAccessLogView } from './access-log-view.js';

export const ACCESS_LOGS_PATH = '/access/logs/access_requests';

/** Without a store (an API started without the index) the route answers ACCESS_LOGS_UNAVAILABLE. */
export function accessLogsRoutes(store: AccessLogStore | undefined): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: ACCESS_LOGS_PATH,
      kinds: ['accounts'],
      operationId: 'listAccessRequests',
      summary: 'Access authentication events (logins and denied attempts) of the account, newest first, from the index of sluice.access_requests',
      query: AccessLogQuerySchema,
      result: AccessLogListSchema,
      resultInfo: AccessLogResultInfoSchema,
      errors: ['INVALID_FIELD', 'ACCESS_LOGS_UNAVAILABLE'],
      handle: (request, scope) => {
        const parsed = parseAccessLogQuery(scope.id, request.query);
        if (!parsed.ok) {
          // One error per bad parameter, each naming it and the value it had.
          throw new ApiError('INVALID_FIELD', parsed.issues.map((issue): ApiErrorItem => ({ code: API_ERRORS.INVALID_FIELD.code, message: issue.message })));
        }
        if (store === undefined) {
          throw new ApiError('ACCESS_LOGS_UNAVAILABLE', 'this API instance keeps no access-log index: start it with `sluice api` against Kafka (not --memory) to serve access_requests');
        }
        const { query } = parsed;
        const page = store.query(query);
        return Promise.resolve(
          withResultInfo(
            page.rows.map((row) => toAccessLogView(row, query.fields)),
            { page: query.page, per_page: query.perPage, count: page.rows.length, total_count: page.total, total_pages: Math.ceil(page.total / query.perPage), total_count_is_lower_bound: page.totalIsLowerBound },
          ),
        );
      },
    },
  ];
}
