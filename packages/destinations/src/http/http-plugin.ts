// The `https://` and `http://` destination kind: any endpoint that takes a POSTed gzip NDJSON body.
import type { DestinationPlugin } from '../destination.js';
import { parseHttpConf } from './http-config.js';
import type { HttpConfig } from './http-config.js';
import { createHttpDestination } from './http-destination.js';

export const httpPlugin: DestinationPlugin<HttpConfig> = {
  kind: 'http',
  schemes: ['https', 'http'],
  parse: parseHttpConf,
  create: (config) => createHttpDestination(config),
};
