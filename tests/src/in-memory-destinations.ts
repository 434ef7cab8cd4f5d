// Every real destination kind's parsing and ownership rules, with writes kept in memory: an API under test that never connects out.
import { createDestinationRegistry, defaultPlugins } from '@sluice/destinations';
import type { Destination, DestinationPlugin, DestinationRegistry } from '@sluice/destinations';

export interface InMemoryDestinations {
  registry: DestinationRegistry;
  /** Challenge files written, `bucket/key` → token. */
  files: Map<string, string>;
}

export function inMemoryDestinations(): InMemoryDestinations {
  const files = new Map<string, string>();
  const inMemory = (plugin: DestinationPlugin): DestinationPlugin => ({
    ...plugin,
    create(config: unknown): Destination {
      const bucket = (config as { bucket?: string }).bucket ?? plugin.kind;
      const delivered = { status: 'delivered' as const, location: `${plugin.kind}://${bucket}` };
      return {
        kind: plugin.kind,
        description: `${plugin.kind}://${bucket}`,
        deliver: () => Promise.resolve(delivered),
        validate: () => Promise.resolve(delivered),
        writeChallenge(key: string, content: string) {
          files.set(`${bucket}/${key}`, content);
          return Promise.resolve({ status: 'delivered' as const, location: `${plugin.kind}://${bucket}/${key}` });
        },
        close: () => Promise.resolve(),
      };
    },
  });
  return { registry: createDestinationRegistry(defaultPlugins.map(inMemory)), files };
}
