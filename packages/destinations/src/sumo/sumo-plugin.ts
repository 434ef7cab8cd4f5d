// The `sumo://` destination kind: a Sumo Logic HTTP source, which takes the gzip NDJSON batch as generic HTTP does.
import type { DestinationPlugin } from '../destination.js';
import { parseSumoConf } from './sumo-config.js';
import type { SumoConfig } from './sumo-config.js';
import { createSumoDestination } from './sumo-destination.js';

/** Logpush requires the ownership challenge for Sumo: anyone can paste someone else's collector URL. */
export const sumoPlugin: DestinationPlugin<SumoConfig> = {
  kind: 'sumo',
  schemes: ['sumo'],
  parse: parseSumoConf,
  create: (config) => createSumoDestination(config),
  ownership: {
    required: () => true,
    locate: (config) => {
      const url = new URL(config.url);
      // The source path, collector code included, is what is proven: it only enters the keyed
      // fingerprint (never a file name or `display`), so `dir` stays empty.
      return { store: url.host, bucket: url.pathname, dir: '', display: config.location.replace(/^https:\/\//, 'sumo://') };
    },
  },
};
