// clickhouseUp, clickhouseDown and clickhouseStatus: a real ClickHouse for tests of HTTP destinations, apart from Kafka and S3.
import { clickhouseServer, findClickHouseServer } from './clickhouse-server.js';
import { infraPaths } from './infra-paths.js';
import { fileSize } from './log-tail.js';
import { removePidFile, runningPid, startDetached } from './process-control.js';
import type { LogRef } from './readiness.js';
import { withRunLock } from './run-lock.js';
import { allOursAndAnswering, assertPortsFree, componentStatus, stopServer, waitForAll } from './server-control.js';
import type { ComponentStatus } from './server-control.js';

export interface ClickHouseUpOptions {
  /** Receives progress lines (starting, ready); silent by default. */
  readonly log?: (line: string) => void;
}

export interface ClickHouseUp {
  /** Its HTTP interface, e.g. `http://127.0.0.1:18123`: the value for `CLICKHOUSE_URL`. */
  readonly url: string;
  /** True when this call started it, so that the caller knows it is its own to stop. */
  readonly started: boolean;
}

export interface ClickHouseDownOptions {
  /** Also delete its databases. Default false: tables survive. */
  readonly wipe?: boolean;
  readonly log?: (line: string) => void;
}

/** The lock is shared with infraUp, whose first-time Maven fetch can hold it for minutes. */
const LOCK_TIMEOUT_MS = 10 * 60_000;

/**
 * Starts ClickHouse unless ours already runs and answers, and waits for `GET /ping`. Kept apart from
 * `infraUp`, which only Kafka and S3 users need; `infraDown` stops it too.
 */
export async function clickhouseUp(options: ClickHouseUpOptions = {}): Promise<ClickHouseUp> {
  const log = options.log ?? (() => undefined);
  const paths = infraPaths();
  const server = clickhouseServer(paths);
  if (await allOursAndAnswering([server])) return { url: server.address, started: false };
  return withRunLock(paths.lockFile, { timeoutMs: LOCK_TIMEOUT_MS }, async () => {
    const startedAt = Date.now();
    const toStart = runningPid(server.pidFile, server.marker) === undefined;
    const logStarts = new Map<typeof server, LogRef[]>();
    if (toStart) {
      const binary = findClickHouseServer();
      removePidFile(server.pidFile);
      await assertPortsFree(server);
      log(`starting ${server.title} (log: ${server.logFiles[0] ?? ''})`);
      const launch = server.prepare(binary);
      logStarts.set(server, server.logFiles.map((path) => ({ path, fromByte: fileSize(path) })));
      startDetached(launch, server.pidFile);
    }
    await waitForAll([server], logStarts);
    if (toStart) log(`${server.title} ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    return { url: server.address, started: toStart };
  });
}

/** Stops our ClickHouse if it runs (SIGTERM, then SIGKILL after a grace period). Idempotent. */
export async function clickhouseDown(options: ClickHouseDownOptions = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  const paths = infraPaths();
  await withRunLock(paths.lockFile, { timeoutMs: LOCK_TIMEOUT_MS }, async () => {
    await stopServer(clickhouseServer(paths), { log, wipe: options.wipe === true });
  });
}

/** Whether our ClickHouse process is alive and whether anything answers on its port. */
export function clickhouseStatus(): Promise<ComponentStatus> {
  return componentStatus(clickhouseServer(infraPaths()));
}
