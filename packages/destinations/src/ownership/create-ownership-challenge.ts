// Logpush's `POST .../ownership`: sign a token for a destination and write it there as a challenge file.
import type { DeliveryResult } from '../destination.js';
import type { DestinationRegistry } from '../registry.js';
import { challengeObjectKey, OWNERSHIP_TOKEN_TTL_MS, randomChallengeId } from './challenge-file.js';
import { destinationDigest, locationDigest } from './ownership-binding.js';
import type { OwnershipKey } from './ownership-key.js';
import type { OwnershipScope } from './ownership-scope.js';
import { signOwnershipToken } from './ownership-token.js';

export interface CreateOwnershipChallengeOptions {
  registry: DestinationRegistry;
  destinationConf: string;
  scope: OwnershipScope;
  /** The current signing key (`ownershipKeysFromEnv().keyring.current`). */
  key: OwnershipKey;
  signal: AbortSignal;
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  /** The 8 hex digits of the file name; random by default. */
  challengeId?: () => string;
}

/**
 * The token is deliberately absent: like Logpush, only someone who can read the destination learns it.
 * Callers (the API, the CLI) pass on `filename` and `message`, never anything that would leak it.
 */
export type OwnershipChallengeResult =
  | {
      status: 'written';
      /** The file's key inside the bucket, e.g. `logs/20260131/ownership-challenge-1a2b3c4d.txt`. */
      filename: string;
      /** The full address written, e.g. `s3://bucket/logs/20260131/ownership-challenge-1a2b3c4d.txt`. */
      location: string;
      /** Whether jobs writing here must present the token (otherwise it is accepted but optional). */
      required: boolean;
      expiresAt: Date;
      message: string;
    }
  | { status: 'not_supported'; kind: string; message: string }
  | { status: 'invalid'; message: string }
  | Exclude<DeliveryResult, { status: 'delivered' }>;

/** Never throws for a bad conf or a failed write: the result says what happened. */
export async function createOwnershipChallenge(options: CreateOwnershipChallengeOptions): Promise<OwnershipChallengeResult> {
  const { registry, destinationConf, scope, key, signal } = options;
  const lookup = registry.ownership(destinationConf);
  if (!lookup.ok) return { status: 'invalid', message: lookup.message };
  const { target } = lookup;
  if (!target.takesChallenge) {
    return { status: 'not_supported', kind: target.kind, message: `${target.kind} destinations take no ownership challenge: jobs writing there need no ownership_challenge` };
  }
  const nowMs = (options.now ?? Date.now)();
  const id = (options.challengeId ?? randomChallengeId)();
  if (!/^[0-9a-f]{8}$/.test(id)) throw new Error(`a challenge id is 8 lowercase hex digits, got "${id}"`);
  const location = target.locate(nowMs);
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + OWNERSHIP_TOKEN_TTL_MS / 1000;
  const token = signOwnershipToken({ scope, dest: destinationDigest(key, destinationConf), loc: locationDigest(key, location), iat, exp, id }, key);
  const filename = challengeObjectKey(location.dir, id);

  const destination = registry.create(destinationConf);
  try {
    if (!destination.writeChallenge) throw new Error(`the ${target.kind} plugin declares ownership support but its destination has no writeChallenge`);
    const written = await destination.writeChallenge(filename, token, signal);
    if (written.status !== 'delivered') return written;
    const expiresAt = new Date(exp * 1000);
    const need = target.required ? 'it is required' : `${target.kind} destinations with access keys do not require it, but it is checked when given`;
    return {
      status: 'written',
      filename,
      location: written.location,
      required: target.required,
      expiresAt,
      message: `written to ${written.location}: send its contents as ownership_challenge when creating the job or changing its destination (${need}); valid until ${expiresAt.toISOString()}`,
    };
  } finally {
    await destination.close();
  }
}
