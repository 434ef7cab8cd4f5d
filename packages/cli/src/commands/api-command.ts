// `sluice api`: serves the Logpush-compatible jobs API (/client/v4) over the Kafka job store.
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { createApiMetrics, createApiServer, createAuthenticator, createKafkaLagReader, createKafkaTailSources, DEFAULT_MAX_JOBS_PER_ZONE, DEFAULT_TAIL_LIMITS, DEFAULT_RATE_LIMIT, DEV_TOKEN_NAME, parseAuthConfig } from '@sluice/api';
import type { AuthConfig } from '@sluice/api';
import { createAddressGuard, createGuardedDestinations, OWNERSHIP_KEY_ENV, ownershipKeysFromEnv } from '@sluice/destinations';
import type { OwnershipKeyring } from '@sluice/destinations';
import { createKafkaHealthStore, createKafkaJobStore, createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import type { HealthStore, JobStore } from '@sluice/job-store';
import type { Logger } from '@sluice/logging';
import type { Kafka } from 'kafkajs';
import { minUploadIntervalFromEnv } from '@sluice/pusher';
import { addAccessIndexOptions, openAccessIndex } from '../access-logs/access-index-options.js';
import type { AccessIndexFlags } from '../access-logs/access-index-options.js';
import { ALLOW_DESTINATION_HOSTS_HELP, allowListOf } from '../destination-policy.js';
import { commandLogger, kafkaFromEnv, onShutdownSignal, parsePort, parsePositiveNumber, say } from '../runtime.js';

export const DEFAULT_API_PORT = 8787;
export const DEFAULT_API_HOST = '127.0.0.1';
/** How long SIGTERM waits for requests in flight: well inside Kubernetes' default 30 s grace, which also closes the stores. */
export const API_DRAIN_MS = 20_000;
/** A file of hashed tokens and keys with their scopes (see @sluice/api's AuthConfig). */
export const API_TOKENS_FILE_ENV = 'SLUICE_API_TOKENS_FILE';

interface ApiFlags {
  port: number;
  host: string;
  tokens?: string;
  maxJobsPerZone: number;
  memory?: boolean;
  allowDestinationHosts?: string;
  rateLimit: number;
  rateLimitWindowSeconds: number;
  tailMaxEventsPerSecond: number;
  tailMaxSeconds: number;
  tailsPerToken: number;
}

export function registerApiCommand(program: Command): void {
  // The access-log index's options come first in --help's option list.
  addAccessIndexOptions(program.command('api'))
    .description(
      'serve the Logpush-compatible jobs API under /client/v4 (jobs, datasets, ownership, validate, custom fields; OpenAPI at /client/v4/openapi.json). ' +
        `Callers authenticate with Authorization: Bearer <token>: tokens from --tokens, or ${DEV_TOKEN_NAME} (write access to everything, for development)`,
    )
    .option('--port <port>', 'port to listen on', parsePort('--port'), DEFAULT_API_PORT)
    .option('--host <address>', 'address to listen on', DEFAULT_API_HOST)
    .option('--tokens <file>', `JSON file of hashed API tokens and their scopes: {"tokens":[{"name":"ci","sha256":"<hex>","scopes":{"zones/<id>":"write"}}]} (default: $${API_TOKENS_FILE_ENV})`)
    .option('--max-jobs-per-zone <n>', 'jobs allowed per zone and per account', parseWholeNumber('--max-jobs-per-zone'), DEFAULT_MAX_JOBS_PER_ZONE)
    .option('--memory', 'keep jobs in this process instead of Kafka (development only: no worker sees them)')
    .option('--allow-destination-hosts <list>', ALLOW_DESTINATION_HOSTS_HELP)
    .option('--rate-limit <n>', 'requests per caller (token, key, or address when unauthenticated) per window', parseWholeNumber('--rate-limit'), DEFAULT_RATE_LIMIT.max)
    .option('--rate-limit-window-seconds <s>', 'the rate limit window in seconds', parseWholeNumber('--rate-limit-window-seconds'), DEFAULT_RATE_LIMIT.windowMs / 1000)
    .option('--tail-max-events-per-second <n>', 'live tail: events sent per second at most; past it the stream is sampled', parseWholeNumber('--tail-max-events-per-second'), DEFAULT_TAIL_LIMITS.maxEventsPerSecond)
    .option('--tail-max-seconds <s>', 'live tail: a tail closes itself after this many seconds', parseWholeNumber('--tail-max-seconds'), DEFAULT_TAIL_LIMITS.maxDurationMs / 1000)
    .option('--tails-per-token <n>', 'live tail: tails one token (or key) may hold open at once', parseWholeNumber('--tails-per-token'), DEFAULT_TAIL_LIMITS.maxTailsPerCaller)
    .action(async (flags: ApiFlags & AccessIndexFlags) => {
      const devToken = process.env[DEV_TOKEN_NAME];
      const auth = createAuthenticator({ ...(await loadAuthConfig(flags.tokens ?? process.env[API_TOKENS_FILE_ENV])), devToken });
      if (auth.size === 0) {
        throw new Error(`no API credentials are configured, so every request would be refused: pass --tokens <file> (or set ${API_TOKENS_FILE_ENV}), or set ${DEV_TOKEN_NAME} for development`);
      }
      if (devToken) say(`api: ${DEV_TOKEN_NAME} is set: that token has write access to every zone and account (development only)`);
      const ownershipKeys = ownershipKeysOrNone();
      const minUploadIntervalSeconds = minUploadIntervalFromEnv();
      const logger = commandLogger('api');
      const allow = allowListOf(flags.allowDestinationHosts);
      if (allow.entries.length > 0) say(`api: destinations may also use ${allow.entries.join(', ')}`);
      const destinations = createGuardedDestinations({ guard: createAddressGuard({ allow }) });
      const { store, health, ready, kafka } = openStores(flags.memory === true, logger);
      // The access-log index reads sluice.access_requests; without Kafka (--memory) its route answers 501.
      const accessIndex = kafka ? openAccessIndex(kafka, flags, logger) : undefined;
      const lag = kafka ? createKafkaLagReader(kafka) : undefined;
      const liveTail = kafka
        ? { sources: createKafkaTailSources(kafka), limits: { maxEventsPerSecond: flags.tailMaxEventsPerSecond, maxDurationMs: flags.tailMaxSeconds * 1000, maxTailsPerCaller: flags.tailsPerToken } }
        : undefined;
      const app = createApiServer({
        store,
        health,
        registry: destinations.registry,
        addresses: destinations,
        objectStores: destinations.objectStores,
        auth,
        logger,
        ...(lag ? { lag } : {}),
        ...(liveTail ? { liveTail } : {}),
        ...(accessIndex ? { accessLogs: accessIndex.store } : {}),
        metrics: createApiMetrics({ store }),
        maxJobsPerZone: flags.maxJobsPerZone,
        rateLimit: { max: flags.rateLimit, windowMs: flags.rateLimitWindowSeconds * 1000 },
        ...(ownershipKeys ? { ownershipKeys } : {}),
        ...(minUploadIntervalSeconds !== undefined ? { minUploadIntervalSeconds } : {}),
      });
      onShutdownSignal(async (signal) => {
        say(`api: ${signal}: stopping`);
        // Requests in flight finish; any still running after the drain time are cut, so the stores close within the grace.
        const cut = setTimeout(() => app.server.closeAllConnections(), API_DRAIN_MS);
        await app.close();
        clearTimeout(cut);
        await Promise.all([store.close(), health.close(), lag?.close(), accessIndex?.close()]);
      });
      try {
        await Promise.all([ready(), accessIndex?.ready()]);
        await app.listen({ port: flags.port, host: flags.host });
      } catch (error) {
        // The Kafka views keep the process alive; close them so that the error ends the command.
        await Promise.allSettled([app.close(), store.close(), health.close(), lag?.close(), accessIndex?.close()]);
        throw error;
      }
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : flags.port;
      const origin = `http://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${port}`;
      say(`api: serving ${origin}/client/v4 (${flags.memory ? 'in-memory store' : 'Kafka job store'})`);
      say(`api: dashboard at ${origin}/dash/ (sign in with an API token)`);
    });
}

interface Stores {
  store: JobStore;
  health: HealthStore;
  /** Resolves once both views hold what Kafka already has, so the first answers are complete. */
  ready: () => Promise<void>;
  /** Absent in memory mode: no live tail, no consumer lag. */
  kafka?: Kafka;
}

function openStores(memory: boolean, logger: Logger): Stores {
  if (memory) return { store: createMemoryJobStore(), health: createMemoryHealthStore(), ready: () => Promise.resolve() };
  const kafka = kafkaFromEnv(logger, 'sluice-api');
  const store = createKafkaJobStore({ kafka, logger });
  const health = createKafkaHealthStore({ kafka, logger });
  return { store, health, kafka, ready: async () => void (await Promise.all([store.ready(), health.ready()])) };
}

async function loadAuthConfig(path: string | undefined): Promise<{ config?: AuthConfig }> {
  if (path === undefined || path === '') return {};
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the API tokens file ${path}: ${(error as Error).message}`);
  }
  const parsed = parseAuthConfig(document);
  if (!parsed.ok) throw new Error(`invalid API tokens file ${path}: ${parsed.issues.map((i) => `${i.path || '(file)'}: ${i.message}`).join('; ')}`);
  return { config: parsed.config };
}

/** Without SLUICE_OWNERSHIP_KEY the API still runs; only destinations that need a challenge are refused. A bad key stops it. */
function ownershipKeysOrNone(): OwnershipKeyring | undefined {
  const keys = ownershipKeysFromEnv();
  if (keys.ok) return keys.keyring;
  if ((process.env[OWNERSHIP_KEY_ENV] ?? '') !== '') throw new Error(keys.message);
  say(`api: ${OWNERSHIP_KEY_ENV} is not set: ownership challenges are disabled (S3 destinations without keys cannot be used)`);
  return undefined;
}

function parseWholeNumber(name: string) {
  const positive = parsePositiveNumber(name);
  return (text: string): number => {
    const value = positive(text);
    if (!Number.isInteger(value)) throw new InvalidArgumentError(`${name} must be a whole number, got "${text}"`);
    return value;
  };
}
