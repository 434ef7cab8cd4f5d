// Finds the destination plugin for a `destination_conf` by its scheme; adding a kind touches only this list.
import type { Destination, DestinationPlugin } from './destination.js';
import { s3Plugin } from './s3/s3-plugin.js';
import { r2Plugin } from './r2/r2-plugin.js';
import { httpPlugin } from './http/http-plugin.js';
import { splunkPlugin } from './splunk-hec/splunk-plugin.js';

export interface DestinationRegistry {
  /** What is wrong with a `destination_conf`, or undefined when it is usable. */
  check(destinationConf: string): string | undefined;
  /** Builds the destination; throws (a configuration error) when `check` would have complained. */
  create(destinationConf: string): Destination;
  readonly schemes: readonly string[];
}

export function createDestinationRegistry(plugins: readonly DestinationPlugin[]): DestinationRegistry {
  const byScheme = new Map<string, DestinationPlugin>();
  for (const plugin of plugins) for (const scheme of plugin.schemes) byScheme.set(scheme, plugin);
  const schemes = [...byScheme.keys()];

  const find = (conf: string): { plugin?: DestinationPlugin; problem?: string } => {
    const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(conf);
    if (!match) return { problem: `must start with a scheme such as ${schemes.map((s) => `${s}://`).join(', ')}` };
    const scheme = (match[1] ?? '').toLowerCase();
    const plugin = byScheme.get(scheme);
    if (!plugin) return { problem: `"${scheme}://" is not a supported destination; supported: ${schemes.map((s) => `${s}://`).join(', ')}` };
    return { plugin };
  };

  return {
    schemes,
    check(conf) {
      const { plugin, problem } = find(conf);
      if (!plugin) return problem;
      const parsed = plugin.parse(conf);
      return parsed.ok ? undefined : parsed.message;
    },
    create(conf) {
      const { plugin, problem } = find(conf);
      if (!plugin) throw new Error(`destination_conf ${problem}`);
      const parsed = plugin.parse(conf);
      if (!parsed.ok) throw new Error(`destination_conf: ${parsed.message}`);
      return plugin.create(parsed.config);
    },
  };
}

export const defaultDestinations: DestinationRegistry = createDestinationRegistry([s3Plugin, r2Plugin, httpPlugin, splunkPlugin]);
