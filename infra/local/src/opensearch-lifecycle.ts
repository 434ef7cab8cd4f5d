// opensearchUp, opensearchDown and opensearchStatus: a real OpenSearch for tests of the Elasticsearch destination, apart from Kafka and S3.
import { infraPaths } from './infra-paths.js';
import { fileSize } from './log-tail.js';
import { ensureOpenSearchArtifacts } from './maven-artifacts.js';
import { openSearchServer } from './opensearch-server.js';
import { removePidFile, runningPid, startDetached } from './process-control.js';
import type { LogRef } from './readiness.js';
import { withRunLock } from './run-lock.js';
import { allOursAndAnswering, assertPortsFree, componentStatus, stopServer, waitForAll } from './server-control.js';
import type { ComponentStatus } from './server-control.js';
import { checkJavaVersion, findJava } from './toolchain.js';

export interface OpenSearchUpOptions {
  /** Receives progress lines (fetching, starting, ready); silent by default. */
  readonly log?: (line: string) => void;
}

export interface OpenSearchUp {
  /** Its HTTP interface, e.g. `http://127.0.0.1:9201`: the value for `OPENSEARCH_URL`. */
  readonly url: string;
  /** True when this call started it, so that the caller knows it is its own to stop. */
  readonly started: boolean;
}

export interface OpenSearchDownOptions {
  /** Also delete its indices. Default false: they survive. */
  readonly wipe?: boolean;
  readonly log?: (line: string) => void;
}

/** The lock is shared with infraUp, whose first-time Maven fetch can hold it for minutes. */
const LOCK_TIMEOUT_MS = 10 * 60_000;

/**
 * Starts OpenSearch unless ours already runs and answers (fetching the runner's jars the first
 * time), and waits for a yellow or green cluster. Kept apart from `infraUp`, which only Kafka and S3
 * users need; `infraDown` stops it too.
 */
export async function opensearchUp(options: OpenSearchUpOptions = {}): Promise<OpenSearchUp> {
  const log = options.log ?? (() => undefined);
  const paths = infraPaths();
  const server = openSearchServer(paths);
  if (await allOursAndAnswering([server])) return { url: server.address, started: false };
  const onWait = (pid: number): void => log(`waiting for process ${pid}, which is starting or stopping local infra`);
  return withRunLock(paths.lockFile, { timeoutMs: LOCK_TIMEOUT_MS, onWait }, async () => {
    const startedAt = Date.now();
    const toStart = runningPid(server.pidFile, server.marker) === undefined;
    const logStarts = new Map<typeof server, LogRef[]>();
    if (toStart) {
      const java = findJava();
      await checkJavaVersion(java);
      removePidFile(server.pidFile);
      await assertPortsFree(server);
      const artifacts = await ensureOpenSearchArtifacts(paths, { log });
      log(`starting ${server.title} (log: ${server.logFiles[0] ?? ''})`);
      logStarts.set(server, server.logFiles.map((path) => ({ path, fromByte: fileSize(path) })));
      startDetached(server.prepare(java, artifacts), server.pidFile);
    }
    await waitForAll([server], logStarts);
    if (toStart) log(`${server.title} ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    return { url: server.address, started: toStart };
  });
}

/** Stops our OpenSearch if it runs (SIGTERM, then SIGKILL after a grace period). Idempotent. */
export async function opensearchDown(options: OpenSearchDownOptions = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  const paths = infraPaths();
  await withRunLock(paths.lockFile, { timeoutMs: LOCK_TIMEOUT_MS }, async () => {
    await stopServer(openSearchServer(paths), { log, wipe: options.wipe === true });
  });
}

/** Whether our OpenSearch process is alive and whether anything answers on its port. */
export function opensearchStatus(): Promise<ComponentStatus> {
  return componentStatus(openSearchServer(infraPaths()));
}
