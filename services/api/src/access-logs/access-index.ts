// The access-log index of one API instance, assembled: the SQLite store, its Kafka reader and its retention sweeps.
import type { Kafka } from 'kafkajs';
import { DEFAULT_ACCESS_RETENTION } from '@sluice/kafka';
import type { AccessRetention } from '@sluice/kafka';
import type { Logger } from '@sluice/logging';
import { startAccessLogIngest } from './access-log-ingest.js';
import type { AccessLogIngest } from './access-log-ingest.js';
import { createAccessLogStore } from './access-log-store.js';
import type { AccessLogStore } from './access-log-store.js';
import { startRetentionSweeper } from './access-log-retention.js';

export interface AccessIndexOptions {
  kafka: Kafka;
  logger: Logger;
  /** SQLite file to keep between starts (caught up from where it was); default in memory, rebuilt from Kafka at every start. */
  path?: string;
  retention?: AccessRetention;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /** How long ready() waits for the index to catch up; default 60 s. */
  catchUpTimeoutMs?: number;
}

export interface AccessIndex {
  /** Pass to createApiServer as `accessLogs`. */
  readonly store: AccessLogStore;
  readonly ingest: AccessLogIngest;
  /** Starts reading and resolves once the index holds what the topic held: await it before listening. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createAccessIndex(options: AccessIndexOptions): AccessIndex {
  const retention = options.retention ?? DEFAULT_ACCESS_RETENTION;
  const store = createAccessLogStore({ ...(options.path !== undefined ? { path: options.path } : {}), retention, ...(options.now ? { now: options.now } : {}) });
  const ingest = startAccessLogIngest({ kafka: options.kafka, store, logger: options.logger, retention, ...(options.catchUpTimeoutMs !== undefined ? { waitTimeoutMs: options.catchUpTimeoutMs } : {}) });
  let sweeper: ReturnType<typeof startRetentionSweeper> | undefined;
  let closing: Promise<void> | undefined;
  return {
    store,
    ingest,
    async ready() {
      // A kept file may hold events that expired while the API was down.
      store.prune();
      sweeper = startRetentionSweeper({ store, logger: options.logger });
      await ingest.start();
      await ingest.caughtUp();
    },
    close() {
      closing ??= (async () => {
        sweeper?.stop();
        await ingest.close();
        store.close();
      })();
      return closing;
    },
  };
}
