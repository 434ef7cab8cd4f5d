// How S3 (and R2) take part in the ownership challenge: where the file goes (the S3 destination's writeChallenge writes it).
import { expandDatePath } from '../object-key.js';
import type { ChallengeLocation, OwnershipSupport } from '../ownership/ownership-support.js';
import type { S3Config } from './s3-config.js';

/**
 * `<dir>/ownership-challenge-<id>.txt` with `{DATE}` expanded in place (no day folder is appended, unlike
 * the test object): the folder batches of that day go to. The store is the endpoint's host, so the same
 * bucket name on two S3-compatible servers are two places.
 */
export function s3ChallengeLocation(config: S3Config, nowMs: number, scheme = 's3'): ChallengeLocation {
  const dir = expandDatePath(config.path, nowMs).replace(/^\/+|\/+$/g, '');
  const store = config.endpoint === undefined ? 'aws' : new URL(config.endpoint).host.toLowerCase();
  return { store, bucket: config.bucket, dir, display: `${scheme}://${config.bucket}/${dir}` };
}

/**
 * Logpush: required for S3 without keys, where Sluice would write with its own credentials and must not
 * be lent to someone else's bucket; with keys, the keys already prove write access.
 */
export const s3Ownership: OwnershipSupport<S3Config> = {
  required: (config) => config.credentials === undefined,
  locate: (config, nowMs) => s3ChallengeLocation(config, nowMs),
};
