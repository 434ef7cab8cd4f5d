// The destinations the API writes to on a caller's behalf: hosts vetted before (job writes) and again at connect (validation, challenges).
import type { Destination, DestinationPlugin } from '../destination.js';
import { createDestinationRegistry, defaultPlugins } from '../registry.js';
import type { DestinationRegistry } from '../registry.js';
import type { AddressGuard, HostVerdict } from './address-guard.js';
import { GUARDED_KINDS } from './guarded-kinds.js';
import { createObjectStoreOpener } from '../object-store/object-store-opener.js';
import type { ObjectStoreOpener } from '../object-store/object-store-opener.js';

export interface DestinationVetter {
  /**
   * Applies the address policy to the host a `destination_conf` points at, resolving it now. A conf
   * that does not parse passes (its own check reports it); a kind with no known host is refused.
   */
  vet(destinationConf: string): Promise<HostVerdict>;
}

export interface GuardedDestinations extends DestinationVetter {
  /** Parses and checks as the plain registry does; every destination it creates connects only through the guard. */
  registry: DestinationRegistry;
  /** Reads back what s3:// and r2:// destinations stored (the API's audit route), connecting only through the guard. */
  objectStores: ObjectStoreOpener;
}

export interface GuardedDestinationsOptions {
  guard: AddressGuard;
  /** Default: every kind Sluice ships. */
  plugins?: readonly DestinationPlugin[];
}

export function createGuardedDestinations(options: GuardedDestinationsOptions): GuardedDestinations {
  const { guard } = options;
  const plugins = options.plugins ?? defaultPlugins;
  const guarded = plugins.map((plugin): DestinationPlugin => ({
    ...plugin,
    create: (config) => GUARDED_KINDS[plugin.kind]?.create(config, guard) ?? unguardedKind(plugin.kind),
  }));
  return {
    registry: createDestinationRegistry(guarded),
    objectStores: createObjectStoreOpener(guard),
    vet: (destinationConf) => vetConf(plugins, guard, destinationConf),
  };
}

/** Only the vetting, for an API whose registry is a test double. */
export function createDestinationVetter(options: GuardedDestinationsOptions): DestinationVetter {
  const plugins = options.plugins ?? defaultPlugins;
  return { vet: (destinationConf) => vetConf(plugins, options.guard, destinationConf) };
}

async function vetConf(plugins: readonly DestinationPlugin[], guard: AddressGuard, destinationConf: string): Promise<HostVerdict> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(destinationConf)?.[1]?.toLowerCase();
  const plugin = plugins.find((candidate) => scheme !== undefined && candidate.schemes.includes(scheme));
  const parsed = plugin?.parse(destinationConf);
  if (plugin === undefined || parsed === undefined || !parsed.ok) return { ok: true, addresses: [] };
  const kind = GUARDED_KINDS[plugin.kind];
  if (kind === undefined) return { ok: false, code: 'ADDRESS_NOT_ALLOWED', message: `${plugin.kind} destinations have no address policy, so the API does not write to them` };
  const host = kind.host(parsed.config);
  return host === undefined ? { ok: true, addresses: [] } : guard.vetHost(host);
}

/** A kind added by a deployment without a guarded build: refused at every write instead of connecting unchecked. */
function unguardedKind(kind: string): Destination {
  const refused = { status: 'rejected', code: 'ADDRESS_NOT_ALLOWED', message: `${kind} destinations have no address policy, so the API does not write to them` } as const;
  return { kind, description: kind, deliver: () => Promise.resolve(refused), validate: () => Promise.resolve(refused), writeChallenge: () => Promise.resolve(refused), close: () => Promise.resolve() };
}
