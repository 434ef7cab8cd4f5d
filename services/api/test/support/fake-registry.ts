// Every real destination kind's parsing and ownership rules, with deliveries and challenge files kept in memory.
import { createDestinationRegistry, defaultPlugins } from '@sluice/destinations';
import type { DeliveryResult, Destination, DestinationPlugin, DestinationRegistry } from '@sluice/destinations';

export interface FakeDestinations {
  registry: DestinationRegistry;
  /** `bucket/key` → challenge file contents. */
  files: Map<string, string>;
  /** Destination descriptions of every validation write, in order. */
  validated: string[];
  /** When set, every write answers this instead of succeeding. */
  failWith: DeliveryResult | undefined;
}

export function fakeDestinations(): FakeDestinations {
  const state: Omit<FakeDestinations, 'registry'> = { files: new Map(), validated: [], failWith: undefined };
  const fake = (plugin: DestinationPlugin): DestinationPlugin => ({
    ...plugin,
    create(config: unknown): Destination {
      const bucket = (config as { bucket?: string }).bucket ?? plugin.kind;
      const write = (): DeliveryResult => state.failWith ?? { status: 'delivered', location: `${plugin.kind}://${bucket}/test` };
      return {
        kind: plugin.kind,
        description: `${plugin.kind}://${bucket}`,
        deliver: () => Promise.resolve(write()),
        validate: () => {
          state.validated.push(`${plugin.kind}://${bucket}`);
          return Promise.resolve(write());
        },
        ...(plugin.ownership
          ? {
              writeChallenge(key: string, content: string) {
                if (state.failWith) return Promise.resolve(state.failWith);
                state.files.set(`${bucket}/${key}`, content);
                return Promise.resolve({ status: 'delivered' as const, location: `${plugin.kind}://${bucket}/${key}` });
              },
            }
          : {}),
        close: () => Promise.resolve(),
      };
    },
  });
  return Object.assign(state, { registry: createDestinationRegistry(defaultPlugins.map(fake)) });
}
