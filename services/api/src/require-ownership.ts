// Logpush's rule when a job is created or its destination changes: prove ownership where the destination takes a challenge.
import { checkJobOwnership } from '@sluice/destinations';
import { ApiError, fieldError } from './api-errors.js';
import type { RouteScope } from './auth/scope-guard.js';
import type { ApiContext } from './route-spec.js';

export const OWNERSHIP_UNAVAILABLE_MESSAGE =
  'ownership challenges are not enabled on this server: it was started without SLUICE_OWNERSHIP_KEY, so it can neither issue nor check tokens';

/** Throws OWNERSHIP_REFUSED (naming ownership_challenge) unless the token proves ownership or none is needed. */
export function requireOwnership(ctx: ApiContext, scope: RouteScope, destinationConf: string, token: string | undefined): void {
  const lookup = ctx.registry.ownership(destinationConf);
  if (!lookup.ok || !lookup.target.takesChallenge) return;
  const keys = ctx.ownershipKeys?.accepted;
  if (keys === undefined) {
    if (token !== undefined && token !== '') throw new ApiError('OWNERSHIP_UNAVAILABLE', `ownership_challenge: ${OWNERSHIP_UNAVAILABLE_MESSAGE}`);
    if (lookup.target.required) throw new ApiError('OWNERSHIP_UNAVAILABLE', `destination_conf: ${lookup.target.kind} destinations without access keys need an ownership challenge, but ${OWNERSHIP_UNAVAILABLE_MESSAGE}`);
    return;
  }
  const result = checkJobOwnership({ registry: ctx.registry, destinationConf, scope: scope.path, ownershipChallenge: token, keys, now: ctx.now });
  if (!result.valid) throw new ApiError('OWNERSHIP_REFUSED', [fieldError('OWNERSHIP_REFUSED', '/ownership_challenge', `${result.message} [${result.code}]`)]);
}
