// Ownership challenges: write a signed token into the destination, and check a token against a destination.
import { createOwnershipChallenge, verifyOwnership } from '@sluice/destinations';
import type { OwnershipKeyring } from '@sluice/destinations';
import { ApiError, fieldError, invalidFields } from '../api-errors.js';
import { DestinationBodySchema, OwnershipChallengeSchema, OwnershipValidateBodySchema, OwnershipValidationSchema } from '../api-schemas.js';
import { validated } from '../body/check-body.js';
import { requireAllowedAddress, sanitizedFailure } from '../destination-checks.js';
import { OWNERSHIP_UNAVAILABLE_MESSAGE } from '../require-ownership.js';
import { BOTH_SCOPES } from '../route-spec.js';
import type { ApiContext, RouteSpec } from '../route-spec.js';

export function ownershipRoutes(ctx: ApiContext): RouteSpec[] {
  return [
    {
      method: 'POST',
      path: '/logpush/ownership',
      kinds: BOTH_SCOPES,
      operationId: 'createOwnershipChallenge',
      summary: 'Write an ownership challenge file into the destination; its contents go into the job as ownership_challenge',
      body: DestinationBodySchema,
      result: OwnershipChallengeSchema,
      errors: ['INVALID_FIELD', 'OWNERSHIP_UNAVAILABLE', 'DESTINATION_NOT_ALLOWED', 'DESTINATION_REFUSED', 'DESTINATION_UNAVAILABLE'],
      handle: async (request, scope) => {
        const body = validated(DestinationBodySchema, request.body);
        const key = keysOf(ctx).current;
        const lookup = ctx.registry.ownership(body.destination_conf);
        if (lookup.ok && lookup.target.takesChallenge) await requireAllowedAddress(ctx, body.destination_conf);
        const result = await createOwnershipChallenge({
          registry: ctx.registry,
          destinationConf: body.destination_conf,
          scope: scope.path,
          key,
          signal: AbortSignal.timeout(ctx.destinationTimeoutMs),
          now: ctx.now,
        });
        switch (result.status) {
          case 'written':
            return { filename: result.filename, message: result.message, valid: true };
          case 'invalid':
          case 'not_supported':
            throw invalidFields([{ path: '/destination_conf', message: result.message }]);
          case 'rejected':
            throw new ApiError('DESTINATION_REFUSED', `destination_conf: the destination refused the challenge file ${sanitizedFailure(result)}`);
          case 'retryable':
            throw new ApiError('DESTINATION_UNAVAILABLE', `destination_conf: the challenge file could not be written now, try again ${sanitizedFailure(result)}`);
        }
      },
    },
    {
      method: 'POST',
      path: '/logpush/ownership/validate',
      kinds: BOTH_SCOPES,
      operationId: 'validateOwnershipChallenge',
      summary: 'Check an ownership_challenge token against a destination_conf for this zone or account',
      body: OwnershipValidateBodySchema,
      result: OwnershipValidationSchema,
      errors: ['INVALID_FIELD', 'OWNERSHIP_UNAVAILABLE'],
      handle: (request, scope) => {
        const body = validated(OwnershipValidateBodySchema, request.body);
        const verdict = verifyOwnership({
          registry: ctx.registry,
          destinationConf: body.destination_conf,
          scope: scope.path,
          token: body.ownership_challenge,
          keys: keysOf(ctx).accepted,
          now: ctx.now,
        });
        if (verdict.valid) return Promise.resolve({ valid: true });
        if (verdict.code === 'OWNERSHIP_INVALID_DESTINATION') throw new ApiError('INVALID_FIELD', [fieldError('INVALID_FIELD', '/destination_conf', verdict.message.replace(/^destination_conf: /, ''))]);
        return Promise.resolve({ valid: false, message: `${verdict.message} [${verdict.code}]` });
      },
    },
  ];
}

function keysOf(ctx: ApiContext): OwnershipKeyring {
  if (ctx.ownershipKeys === undefined) throw new ApiError('OWNERSHIP_UNAVAILABLE', OWNERSHIP_UNAVAILABLE_MESSAGE);
  return ctx.ownershipKeys;
}
