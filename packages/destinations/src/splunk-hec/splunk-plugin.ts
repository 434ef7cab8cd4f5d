// The `splunk://` destination kind: Splunk's HTTP Event Collector, raw or event endpoint.
import type { DestinationPlugin } from '../destination.js';
import { parseSplunkConf } from './splunk-config.js';
import type { SplunkHecConfig } from './splunk-config.js';
import { createSplunkDestination } from './splunk-destination.js';

export const splunkPlugin: DestinationPlugin<SplunkHecConfig> = {
  kind: 'splunk',
  schemes: ['splunk'],
  parse: parseSplunkConf,
  create: (config) => createSplunkDestination(config),
};
