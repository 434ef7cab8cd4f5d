// The `elasticsearch://` and `opensearch://` destination kind: `_bulk` creates into one index.
import type { DestinationPlugin } from '../destination.js';
import { parseElasticsearchConf } from './elasticsearch-config.js';
import type { ElasticsearchConfig } from './elasticsearch-config.js';
import { createElasticsearchDestination } from './elasticsearch-destination.js';

export const elasticsearchPlugin: DestinationPlugin<ElasticsearchConfig> = {
  kind: 'elasticsearch',
  schemes: ['elasticsearch', 'opensearch'],
  parse: parseElasticsearchConf,
  create: (config) => createElasticsearchDestination(config),
};
