// What the API checks before it writes to a destination or stores one, and what it may tell the caller about a write.
import type { DeliveryResult } from '@sluice/destinations';
import { ALLOW_HINT } from '@sluice/destinations';
import { ApiError, fieldError } from './api-errors.js';
import type { ApiContext } from './route-spec.js';

/** Throws DESTINATION_NOT_ALLOWED (naming destination_conf and the host) unless the policy admits the host as it resolves now. */
export async function requireAllowedAddress(ctx: ApiContext, destinationConf: string): Promise<void> {
  const verdict = await ctx.addresses.vet(destinationConf);
  if (!verdict.ok) throw new ApiError('DESTINATION_NOT_ALLOWED', [fieldError('DESTINATION_NOT_ALLOWED', '/destination_conf', `${verdict.message} [${verdict.code}]`)]);
}

type Failure = Exclude<DeliveryResult, { status: 'delivered' }>;

/** Codes are stable identifiers; anything else in this place came from the other host and is not repeated. */
const SAFE_CODE = /^[A-Za-z0-9_]{1,64}$/;

/**
 * The reason shown for a failed write: the failure's code only (`HTTP_403`, `S3_NoSuchBucket`,
 * `HTTP_CONNECTION`), never the destination's message, which carries another host's reply body.
 * A connection the address guard stopped (the host re-resolved to a refused address) is DESTINATION_NOT_ALLOWED.
 */
export function sanitizedFailure(result: Failure): string {
  if (result.message.includes(ALLOW_HINT)) {
    throw new ApiError('DESTINATION_NOT_ALLOWED', [
      fieldError('DESTINATION_NOT_ALLOWED', '/destination_conf', `the destination's host resolved to an address destinations may not use when Sluice connected ${ALLOW_HINT} [ADDRESS_NOT_ALLOWED]`),
    ]);
  }
  return `[${SAFE_CODE.test(result.code) ? result.code : 'UNKNOWN'}]`;
}
