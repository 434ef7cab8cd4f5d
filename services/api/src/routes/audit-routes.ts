// GET /zones/{zone_id}/sluice/audit: one user's requests in a time range, in order, read back from what a job stored in S3 or R2.
import { ALLOW_HINT, classifyS3Error } from '@sluice/destinations';
import type { ObjectStoreReader } from '@sluice/destinations';
import { ApiError } from '../api-errors.js';
import type { ApiErrorItem } from '../api-errors.js';
import { API_ERRORS } from '../api-errors.js';
import { AuditError } from '../audit/audit-error.js';
import { pickAuditJob } from '../audit/audit-job.js';
import { parseAuditQuery } from '../audit/audit-query.js';
import { AuditQuerySchema, AuditResultInfoSchema, SessionListSchema } from '../audit/audit-schemas.js';
import { createUserSessionReader } from '../audit/user-session.js';
import { requireAllowedAddress } from '../destination-checks.js';
import { withResultInfo } from '../envelope.js';
import type { ApiContext, RouteSpec } from '../route-spec.js';

const NS_PER_MS = 1_000_000n;

export function auditRoutes(ctx: ApiContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/sluice/audit',
      kinds: ['zones'],
      operationId: 'auditUserSession',
      summary: "Sluice extension: every request one user made in [since, until), in time order, read from the objects a job stored in S3 or R2",
      query: AuditQuerySchema,
      result: SessionListSchema,
      resultInfo: AuditResultInfoSchema,
      errors: ['INVALID_FIELD', 'JOB_NOT_FOUND', 'AUDIT_NO_SUITABLE_JOB', 'AUDIT_UNAVAILABLE', 'DESTINATION_NOT_ALLOWED', 'DESTINATION_REFUSED', 'DESTINATION_UNAVAILABLE', 'AUDIT_OBJECT_UNREADABLE'],
      handle: async (request, scope) => {
        const parsed = parseAuditQuery(request.query as Record<string, unknown>, ctx.now());
        if (!parsed.ok) throw new ApiError('INVALID_FIELD', parsed.issues.map((issue): ApiErrorItem => ({ code: API_ERRORS.INVALID_FIELD.code, message: issue.message })));
        const { query } = parsed;
        const picked = pickAuditJob({ zoneId: scope.id, jobs: ctx.store.jobs().values(), customFields: ctx.store.customFields().get(scope.id), jobId: query.jobId });
        if (!picked.ok) throw new ApiError(picked.code, picked.message);
        if (ctx.objectStores === undefined) throw new ApiError('AUDIT_UNAVAILABLE', 'this API reads no object stores (it was started without objectStores), so it cannot read what jobs stored');
        const { job } = picked;
        // As for a job write: the host must be one destinations may use as it resolves now; the guarded client checks again at connect.
        await requireAllowedAddress(ctx, job.destinationConf);
        const opened = ctx.objectStores.open(job.destinationConf);
        if (!opened.ok) throw new ApiError('AUDIT_NO_SUITABLE_JOB', `job ${job.id}'s destination cannot be read back: ${opened.message}`);
        const reader = opened.reader;
        const timeoutMs = ctx.auditLimits.timeoutMs ?? 60_000;
        try {
          const session = await createUserSessionReader({ reader, job, limits: ctx.auditLimits, now: ctx.now }).read(query, AbortSignal.timeout(timeoutMs + ctx.destinationTimeoutMs));
          request.log.info({ job: job.id, rows: session.rows.length, objects_scanned: session.objectsScanned, objects_skipped: session.objectsSkipped, truncated: session.truncated }, 'audit');
          return withResultInfo(session.rows, {
            count: session.rows.length,
            truncated: session.truncated,
            truncated_by: session.truncatedBy ?? null,
            objects_scanned: session.objectsScanned,
            objects_skipped: session.objectsSkipped,
            records_unreadable: session.recordsUnreadable,
            job_id: job.id,
            since: rfc3339(query.sinceNs),
            until: rfc3339(query.untilNs),
          });
        } catch (error) {
          throw storeFailure(error, job.id, reader);
        } finally {
          reader.close();
        }
      },
    },
  ];
}

/**
 * What the caller may learn of a failed read: the failure's code (`S3_AccessDenied`), never the store's
 * message, which may quote another host's reply; the job's credentials appear in neither.
 */
function storeFailure(error: unknown, jobId: number, reader: ObjectStoreReader): unknown {
  if (!(error instanceof AuditError)) return error;
  const where = `job ${jobId}'s bucket ${reader.bucket}`;
  if (error.code === 'AUDIT_OBJECT_UNREADABLE') return new ApiError('AUDIT_OBJECT_UNREADABLE', `${error.message} (${where})`);
  const cause = error.cause;
  if (cause instanceof Error && cause.message.includes(ALLOW_HINT)) {
    return new ApiError('DESTINATION_NOT_ALLOWED', `${where}: the store's host resolved to an address destinations may not use when Sluice connected ${ALLOW_HINT} [ADDRESS_NOT_ALLOWED]`);
  }
  const failure = classifyS3Error(cause);
  const code = /^[A-Za-z0-9_]{1,64}$/.test(failure.code) ? failure.code : 'UNKNOWN';
  return failure.status === 'retryable'
    ? new ApiError('DESTINATION_UNAVAILABLE', `${error.message} in ${where}: the store did not answer usably [${code}]; try again`)
    : new ApiError('DESTINATION_REFUSED', `${error.message} in ${where}: the store refused [${code}]`);
}

function rfc3339(nanos: bigint): string {
  const ms = Number(nanos / NS_PER_MS);
  return new Date(ms).toISOString();
}
