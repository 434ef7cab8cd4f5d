// Per destination kind: the host its conf points at, and how to build it with a client that connects only through the address guard.
import type { Destination } from '../destination.js';
import type { DatadogConfig } from '../datadog/datadog-config.js';
import { createDatadogDestination } from '../datadog/datadog-destination.js';
import type { ElasticsearchConfig } from '../elasticsearch/elasticsearch-config.js';
import { createElasticsearchDestination, DEFAULT_ES_TIMEOUT_MS } from '../elasticsearch/elasticsearch-destination.js';
import { createHttpClient } from '../http-client/http-client.js';
import type { HttpConfig } from '../http/http-config.js';
import { createHttpDestination, DEFAULT_HTTP_TIMEOUT_MS } from '../http/http-destination.js';
import { EXCERPT_BYTES } from '../http/response-excerpt.js';
import type { S3Config } from '../s3/s3-config.js';
import { createS3Client, createS3Destination } from '../s3/s3-destination.js';
import { DEFAULT_HEC_TIMEOUT_MS } from '../splunk-hec/hec-client.js';
import type { SplunkHecConfig } from '../splunk-hec/splunk-config.js';
import { createSplunkDestination } from '../splunk-hec/splunk-destination.js';
import { createSumoDestination } from '../sumo/sumo-destination.js';
import type { SumoConfig } from '../sumo/sumo-config.js';
import type { AddressGuard } from './address-guard.js';
import { guardedAgents } from './guarded-connect.js';

export interface GuardedKind {
  /** The host the destination connects to, or undefined for a fixed public service (AWS S3 without an endpoint). */
  host(config: unknown): string | undefined;
  create(config: unknown, guard: AddressGuard): Destination;
}

const urlHost = (config: unknown): string => new URL((config as HttpConfig).url).hostname;
const s3Host = (config: unknown): string | undefined => {
  const { endpoint } = config as S3Config;
  return endpoint === undefined ? undefined : new URL(endpoint).hostname;
};
const plainHttp = (guard: AddressGuard) => createHttpClient({ timeoutMs: DEFAULT_HTTP_TIMEOUT_MS, maxReplyBytes: EXCERPT_BYTES, addressGuard: guard });

/**
 * Keyed by plugin kind. A kind missing here (one a deployment added) is refused by the guarded
 * registry rather than sent unguarded.
 */
export const GUARDED_KINDS: Readonly<Record<string, GuardedKind>> = {
  http: { host: urlHost, create: (config, guard) => createHttpDestination(config as HttpConfig, { transport: plainHttp(guard) }) },
  sumo: { host: urlHost, create: (config, guard) => createSumoDestination(config as SumoConfig, { transport: plainHttp(guard) }) },
  datadog: { host: urlHost, create: (config, guard) => createDatadogDestination(config as DatadogConfig, { transport: plainHttp(guard) }) },
  splunk: {
    host: (config) => (config as SplunkHecConfig).host,
    create: (config, guard) => {
      const hec = config as SplunkHecConfig;
      return createSplunkDestination(hec, { transport: createHttpClient({ timeoutMs: DEFAULT_HEC_TIMEOUT_MS, rejectUnauthorized: hec.rejectUnauthorized, addressGuard: guard }) });
    },
  },
  elasticsearch: {
    host: (config) => (config as ElasticsearchConfig).host,
    create: (config, guard) => {
      const es = config as ElasticsearchConfig;
      return createElasticsearchDestination(es, { transport: createHttpClient({ timeoutMs: DEFAULT_ES_TIMEOUT_MS, rejectUnauthorized: es.rejectUnauthorized, addressGuard: guard }) });
    },
  },
  s3: { host: s3Host, create: (config, guard) => createS3Destination(config as S3Config, { client: createS3Client(config as S3Config, guardedAgents(guard)) }) },
  r2: { host: s3Host, create: (config, guard) => createS3Destination(config as S3Config, { scheme: 'r2', client: createS3Client(config as S3Config, guardedAgents(guard)) }) },
};
