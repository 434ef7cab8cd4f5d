// Logpush's ownership validation: is this token one Sluice signed for this scope and this exact destination?
import type { DestinationRegistry } from '../registry.js';
import { refuse } from './ownership-codes.js';
import type { OwnershipRefusal } from './ownership-codes.js';
import { destinationDigest, locationDigest } from './ownership-binding.js';
import type { OwnershipKey } from './ownership-key.js';
import type { OwnershipScope } from './ownership-scope.js';
import { openOwnershipToken } from './ownership-token.js';

export interface VerifyOwnershipOptions {
  registry: DestinationRegistry;
  destinationConf: string;
  scope: OwnershipScope;
  token: string;
  /** Every key a token may have been signed with, current first (`ownershipKeysFromEnv().keyring.accepted`). */
  keys: readonly OwnershipKey[];
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

export type OwnershipVerdict =
  | { valid: true; scope: OwnershipScope; challengeId: string; issuedAt: Date; expiresAt: Date }
  | OwnershipRefusal;

/**
 * Checks, in order: the destination can hold a challenge; the token's shape and signature; its scope,
 * location and destination bindings (what is wrong with this token for this job); then its age.
 * Never throws for a bad token or conf; messages name no credential.
 */
export function verifyOwnership(options: VerifyOwnershipOptions): OwnershipVerdict {
  const { registry, destinationConf, scope, token, keys } = options;
  const lookup = registry.ownership(destinationConf);
  if (!lookup.ok) return refuse('OWNERSHIP_INVALID_DESTINATION', `destination_conf: ${lookup.message}`);
  const { target } = lookup;
  if (!target.takesChallenge) return refuse('OWNERSHIP_NOT_SUPPORTED', `${target.kind} destinations take no ownership challenge, so there is no token to check`);

  const opened = openOwnershipToken(token, keys);
  if (!opened.valid) return opened;
  const { claims, key } = opened;
  if (claims.scope !== scope) {
    return refuse('OWNERSHIP_SCOPE_MISMATCH', `the token was issued for ${claims.scope}, not ${scope}: request a challenge for this ${scope.startsWith('zones/') ? 'zone' : 'account'}`);
  }
  const location = target.locate(claims.iat * 1000);
  if (claims.loc !== locationDigest(key, location)) {
    return refuse('OWNERSHIP_LOCATION_MISMATCH', `the token was issued for another store, bucket or folder than ${location.display}: a challenge proves access to one place; request one for this destination`);
  }
  if (claims.dest !== destinationDigest(key, destinationConf)) {
    return refuse('OWNERSHIP_DESTINATION_MISMATCH', `the token was issued for ${location.display} but a different destination_conf (a changed parameter or access key); it is bound to the exact destination_conf: request a new challenge`);
  }
  const nowMs = (options.now ?? Date.now)();
  if (nowMs >= claims.exp * 1000) {
    return refuse('OWNERSHIP_EXPIRED', `the token expired at ${new Date(claims.exp * 1000).toISOString()} (tokens last 7 days): request a new ownership challenge`);
  }
  return { valid: true, scope, challengeId: claims.id, issuedAt: new Date(claims.iat * 1000), expiresAt: new Date(claims.exp * 1000) };
}
