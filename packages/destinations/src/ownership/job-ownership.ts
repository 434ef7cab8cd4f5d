// The rule the API applies when a job is created or its destination_conf changes: is ownership proven?
import type { DestinationRegistry } from '../registry.js';
import { refuse } from './ownership-codes.js';
import type { OwnershipRefusal } from './ownership-codes.js';
import type { OwnershipKey } from './ownership-key.js';
import type { OwnershipScope } from './ownership-scope.js';
import { verifyOwnership } from './verify-ownership.js';

export interface JobOwnershipOptions {
  registry: DestinationRegistry;
  destinationConf: string;
  scope: OwnershipScope;
  /** The job's `ownership_challenge`; undefined or "" when none was sent. */
  ownershipChallenge: string | undefined;
  keys: readonly OwnershipKey[];
  now?: () => number;
}

export type JobOwnershipResult = { valid: true; proof: 'verified' | 'not_required' } | OwnershipRefusal;

/**
 * - Kinds that take no challenge (HTTP, Splunk): nothing to prove; a token sent anyway is ignored.
 * - Kinds that require one (S3 without keys): the token must be present and valid.
 * - Kinds where it is optional (S3 with keys, R2): a token sent must be valid; none is fine.
 */
export function checkJobOwnership(options: JobOwnershipOptions): JobOwnershipResult {
  const { registry, destinationConf, scope, ownershipChallenge, keys } = options;
  const lookup = registry.ownership(destinationConf);
  if (!lookup.ok) return refuse('OWNERSHIP_INVALID_DESTINATION', `destination_conf: ${lookup.message}`);
  const { target } = lookup;
  if (!target.takesChallenge) return { valid: true, proof: 'not_required' };
  if (ownershipChallenge === undefined || ownershipChallenge === '') {
    if (!target.required) return { valid: true, proof: 'not_required' };
    return refuse(
      'OWNERSHIP_REQUIRED',
      `${target.kind} destinations that Sluice writes to with its own credentials need an ownership challenge: POST /${scope}/logpush/ownership with the destination_conf (or run sluice ownership), then send the token from the file it writes as ownership_challenge`,
    );
  }
  const verdict = verifyOwnership({ registry, destinationConf, scope, token: ownershipChallenge, keys, ...(options.now ? { now: options.now } : {}) });
  return verdict.valid ? { valid: true, proof: 'verified' } : verdict;
}
