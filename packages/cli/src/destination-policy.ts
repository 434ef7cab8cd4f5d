// Which non-public hosts destinations may use, for the services that deliver on behalf of API callers (the API, store-mode pushers).
import { createAddressGuard, createGuardedDestinations, parseAllowList } from '@sluice/destinations';
import type { AllowList, DestinationRegistry } from '@sluice/destinations';

/** Comma-separated host names, addresses and CIDR blocks destinations may point at although they are not public. */
export const ALLOW_DESTINATION_HOSTS_ENV = 'SLUICE_ALLOW_DESTINATION_HOSTS';

export const ALLOW_DESTINATION_HOSTS_HELP =
  'host names, addresses and CIDR blocks destinations may use although they are loopback, private, link-local or otherwise not public, ' +
  `e.g. 127.0.0.1,localhost,10.1.0.0/16 (default: $${ALLOW_DESTINATION_HOSTS_ENV}; none)`;

/** Start-up configuration: a bad entry stops the command, naming the flag and the entry. */
export function allowListOf(flag: string | undefined): AllowList {
  const parsed = parseAllowList(flag ?? process.env[ALLOW_DESTINATION_HOSTS_ENV] ?? '');
  if (!parsed.ok) throw new Error(`--allow-destination-hosts (or $${ALLOW_DESTINATION_HOSTS_ENV}): ${parsed.message}`);
  return parsed.allow;
}

/** Destinations whose connections are checked against the address policy when they are made, so DNS rebinding does not help. */
export function guardedRegistry(allow: AllowList): DestinationRegistry {
  return createGuardedDestinations({ guard: createAddressGuard({ allow }) }).registry;
}
