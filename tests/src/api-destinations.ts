// The address policy the cross-service tests serve the API with: loopback allowed, as `sluice api --allow-destination-hosts 127.0.0.1,localhost,[::1]`.
import { createAddressGuard, createGuardedDestinations, parseAllowList } from '@sluice/destinations';
import type { DestinationPlugin, GuardedDestinations, Resolve } from '@sluice/destinations';

export const E2E_ALLOWED_DESTINATION_HOSTS = '127.0.0.1,localhost,[::1]';

/**
 * `resolve`: default the system resolver, which answers loopback names and addresses from this
 * machine alone; tests whose confs name other hosts (never connected to) pass one that keeps them local.
 */
export function loopbackDestinations(options: { plugins?: readonly DestinationPlugin[]; resolve?: Resolve } = {}): GuardedDestinations {
  const allow = parseAllowList(E2E_ALLOWED_DESTINATION_HOSTS);
  if (!allow.ok) throw new Error(allow.message);
  return createGuardedDestinations({ guard: createAddressGuard({ allow: allow.allow, ...(options.resolve ? { resolve: options.resolve } : {}) }), ...(options.plugins ? { plugins: options.plugins } : {}) });
}
