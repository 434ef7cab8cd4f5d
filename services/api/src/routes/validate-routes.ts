// Checks before creating a job: can Sluice write to this destination, does a job already use it, do these logpull_options read.
import { validateDestination } from '@sluice/destinations';
import { convertLogpullOptions } from '@sluice/pipeline';
import { DestinationBodySchema, DestinationExistsSchema, DestinationValidateBodySchema, DestinationValidationSchema, OriginBodySchema, OriginValidationSchema } from '../api-schemas.js';
import { validated } from '../body/check-body.js';
import { requireAllowedAddress, sanitizedFailure } from '../destination-checks.js';
import { requireOwnership } from '../require-ownership.js';
import { BOTH_SCOPES } from '../route-spec.js';
import type { ApiContext, RouteSpec } from '../route-spec.js';
import { jobsIn } from './jobs-routes.js';

export function validateRoutes(ctx: ApiContext): RouteSpec[] {
  return [
    {
      method: 'POST',
      path: '/logpush/validate/destination',
      kinds: BOTH_SCOPES,
      operationId: 'validateDestination',
      summary:
        'Write a small test object ({"content":"tests"}) to the destination and say whether it was taken. ' +
        'A destination Sluice writes to with its own credentials (S3 without keys) needs its ownership_challenge first.',
      body: DestinationValidateBodySchema,
      result: DestinationValidationSchema,
      errors: ['INVALID_FIELD', 'DESTINATION_NOT_ALLOWED', 'OWNERSHIP_REFUSED', 'OWNERSHIP_UNAVAILABLE'],
      handle: async (request, scope) => {
        const body = validated(DestinationValidateBodySchema, request.body);
        const problem = ctx.registry.check(body.destination_conf);
        if (problem !== undefined) return { valid: false, message: `destination_conf: ${problem}` };
        // The server's own cloud credentials write only where the caller proved ownership.
        requireOwnership(ctx, scope, body.destination_conf, body.ownership_challenge);
        await requireAllowedAddress(ctx, body.destination_conf);
        const result = await validateDestination(ctx.registry, body.destination_conf, AbortSignal.timeout(ctx.destinationTimeoutMs));
        switch (result.status) {
          case 'delivered':
            return { valid: true, message: '' };
          case 'invalid':
            return { valid: false, message: `destination_conf: ${result.message}` };
          default:
            return { valid: false, message: `${result.status === 'retryable' ? 'the destination failed (it may pass later)' : 'the destination refused the test object'} ${sanitizedFailure(result)}` };
        }
      },
    },
    {
      method: 'POST',
      path: '/logpush/validate/destination/exists',
      kinds: BOTH_SCOPES,
      operationId: 'validateDestinationExists',
      summary: 'Whether a job of this zone or account already pushes to exactly this destination_conf',
      body: DestinationBodySchema,
      result: DestinationExistsSchema,
      errors: ['INVALID_FIELD'],
      handle: (request, scope) => {
        const body = validated(DestinationBodySchema, request.body);
        return Promise.resolve({ exists: jobsIn(ctx, scope).some((job) => job.destination_conf === body.destination_conf) });
      },
    },
    {
      method: 'POST',
      path: '/logpush/validate/origin',
      kinds: BOTH_SCOPES,
      operationId: 'validateOrigin',
      summary: 'Check legacy logpull_options (fields=…&timestamps=…&sample=…&CVE-2021-44228=…)',
      body: OriginBodySchema,
      result: OriginValidationSchema,
      errors: ['INVALID_FIELD'],
      handle: (request) => {
        const body = validated(OriginBodySchema, request.body);
        if (body.logpull_options === null) return Promise.resolve({ valid: true, message: '' });
        const converted = convertLogpullOptions(body.logpull_options);
        if (converted.ok) return Promise.resolve({ valid: true, message: '' });
        return Promise.resolve({ valid: false, message: converted.issues.map((issue) => `logpull_options: ${issue.message}`).join('; ') });
      },
    },
  ];
}
