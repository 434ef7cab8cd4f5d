// The `datadog://` destination kind: Datadog's HTTP log intake.
import type { DestinationPlugin } from '../destination.js';
import { parseDatadogConf } from './datadog-config.js';
import type { DatadogConfig } from './datadog-config.js';
import { createDatadogDestination } from './datadog-destination.js';

export const datadogPlugin: DestinationPlugin<DatadogConfig> = {
  kind: 'datadog',
  schemes: ['datadog'],
  parse: parseDatadogConf,
  create: (config) => createDatadogDestination(config),
};
