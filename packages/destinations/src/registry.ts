// Finds the destination plugin for a `destination_conf` by its scheme; adding a kind touches only this list.
import type { Destination, DestinationPlugin } from './destination.js';
import type { OwnershipLookup } from './ownership/ownership-support.js';
import { s3Plugin } from './s3/s3-plugin.js';
import { r2Plugin } from './r2/r2-plugin.js';
import { httpPlugin } from './http/http-plugin.js';
import { splunkPlugin } from './splunk-hec/splunk-plugin.js';
import { elasticsearchPlugin } from './elasticsearch/elasticsearch-plugin.js';
import { datadogPlugin } from './datadog/datadog-plugin.js';
import { sumoPlugin } from './sumo/sumo-plugin.js';

export interface DestinationRegistry {
  /** What is wrong with a `destination_conf`, or undefined when it is usable. */
  check(destinationConf: string): string | undefined;
  /** Builds the destination; throws (a configuration error) when `check` would have complained. */
  create(destinationConf: string): Destination;
  /** Pure: whether the destination takes an ownership challenge, needs one, and where its file goes. */
  ownership(destinationConf: string): OwnershipLookup;
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
    ownership(conf) {
      const { plugin, problem } = find(conf);
      if (!plugin) return { ok: false, message: problem ?? 'unreadable' };
      const parsed = plugin.parse(conf);
      if (!parsed.ok) return parsed;
      const support = plugin.ownership;
      if (!support) return { ok: true, target: { kind: plugin.kind, takesChallenge: false } };
      const config = parsed.config;
      return { ok: true, target: { kind: plugin.kind, takesChallenge: true, required: support.required(config), locate: (nowMs) => support.locate(config, nowMs) } };
    },
  };
}

/** Every destination kind Sluice ships; a deployment may add its own with `createDestinationRegistry`. */
export const defaultPlugins: readonly DestinationPlugin[] = [s3Plugin, r2Plugin, httpPlugin, splunkPlugin, elasticsearchPlugin, datadogPlugin, sumoPlugin];

export const defaultDestinations: DestinationRegistry = createDestinationRegistry(defaultPlugins);
