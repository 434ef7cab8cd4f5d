// Builds the kafkajs client every service uses: its logs routed into the service's logger, TLS and SASL from its settings.
import { logLevel } from 'kafkajs';
import type { Kafka, LogEntry } from 'kafkajs';
import type { Logger } from '@sluice/logging';
import { createConnectGuard } from './security/connect-guard.js';
import { GuardedKafka } from './security/guarded-kafka.js';
import type { KafkaSecuritySettings } from './security/kafka-security-settings.js';
import { loadKafkaSecurity } from './security/load-security.js';
import { kafkaSecurityFromEnv } from './security/security-from-env.js';

/** How long a connection attempt (and the TLS certificate check) may take. */
const CONNECTION_TIMEOUT_MS = 3_000;

export interface KafkaClientOptions {
  /** Bootstrap brokers, `host:port`; prefer `127.0.0.1` to `localhost` (Node may resolve `::1`). */
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /**
   * How long to keep reconnecting before an operation fails. The default (8 retries, 200 ms doubling
   * to 5 s) rides out a broker restart; the edge passes fewer, since its spool takes over sooner.
   */
  retry?: { readonly retries: number; readonly maxRetryTimeMs: number };
  /**
   * TLS and SASL. Default: read from the KAFKA_SSL* / KAFKA_SASL_* environment variables (none set: plaintext),
   * so that every client of a process is secured alike. Pass PLAINTEXT_SECURITY for a plaintext client regardless.
   */
  security?: KafkaSecuritySettings;
}

/** Parses `KAFKA_BROKERS`-style text: comma-separated `host:port` entries. */
export function parseBrokers(text: string): string[] {
  const brokers = text
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^:\s]+:\d+$/.test(broker)) {
      throw new Error(`KAFKA_BROKERS: "${broker}" is not host:port (example: 127.0.0.1:9092)`);
    }
  }
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is empty (example: 127.0.0.1:9092)');
  return brokers;
}

/** Throws KafkaSecurityError (KAFKA_SECURITY_INVALID, KAFKA_SECURITY_FILE) at once for unusable security settings. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  const settings = options.security ?? kafkaSecurityFromEnv(process.env);
  const security = loadKafkaSecurity(settings);
  const guard = createConnectGuard({ brokers: options.brokers, settings, security, timeoutMs: CONNECTION_TIMEOUT_MS });
  return new GuardedKafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...security,
    // kafkajs is chatty at INFO (every join and commit); its warnings and errors are what matter.
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      const fields = { ns: entry.namespace, ...extra };
      // kafkajs logs every error response at ERROR, even those it retries (a coordinator still
      // loading, a leader moving); what it finally gives up on reaches the caller as an exception.
      // Connection failures are retried too, and while a broker is away they come several a second:
      // the caller's own give-up (or the edge's throttled spool warning) is the line that matters.
      const retried = (entry.namespace === 'Connection' && (extra['error'] !== undefined || extra['stack'] !== undefined)) || entry.namespace === 'BrokerPool';
      // The edge limits its producer's retries on purpose (its spool takes over); kafkajs warns on every connect.
      const chosen = message.startsWith('Limiting retries for the idempotent producer');
      if (entry.level === logLevel.ERROR && !retried) log.error(fields, message);
      else if (entry.level === logLevel.WARN && !chosen) log.warn(fields, message);
      else log.debug(fields, message);
    },
    // Reconnects are cheap; a broker restart should not kill a worker.
    retry: { initialRetryTime: 200, maxRetryTime: options.retry?.maxRetryTimeMs ?? 5_000, retries: options.retry?.retries ?? 8 },
    connectionTimeout: CONNECTION_TIMEOUT_MS,
  }, guard);
}
