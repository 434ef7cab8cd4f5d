// infraUp, infraDown and infraStatus: start, stop and inspect the local Kafka broker and S3Proxy (and stop ClickHouse and OpenSearch).
import { clickhouseServer } from './clickhouse-server.js';
import type { InfraComponent, ManagedServer } from './infra-component.js';
import { localInfraEnv } from './infra-env.js';
import type { InfraEnv } from './infra-env.js';
import { infraPaths } from './infra-paths.js';
import type { InfraPaths } from './infra-paths.js';
import { kafkaComponent, sharedKafkaBroker } from './kafka-broker.js';
import { fileSize } from './log-tail.js';
import { ensureArtifacts } from './maven-artifacts.js';
import { removePidFile, runningPid, startDetached } from './process-control.js';
import type { LogRef } from './readiness.js';
import { withRunLock } from './run-lock.js';
import { openSearchServer } from './opensearch-server.js';
import { s3Component } from './s3-server.js';
import { allOursAndAnswering, assertPortsFree, componentStatus, stopServer, waitForAll } from './server-control.js';
import type { ComponentStatus } from './server-control.js';
import { checkJavaVersion, findJava } from './toolchain.js';

export type { ComponentStatus } from './server-control.js';

export interface InfraUpOptions {
  /** Receives progress lines (fetching, starting, ready); silent by default. */
  readonly log?: (line: string) => void;
}

export interface InfraDownOptions {
  /** Also delete Kafka's, S3's, ClickHouse's and OpenSearch's data (topics, offsets, buckets, tables, indices). Default false: data survives. */
  readonly wipe?: boolean;
  readonly log?: (line: string) => void;
}

export interface InfraStatus {
  readonly kafka: ComponentStatus;
  readonly s3: ComponentStatus;
  /** Started only on request (`clickhouseUp`), so usually not running. */
  readonly clickhouse: ComponentStatus;
  /** Started only on request (`opensearchUp`), so usually not running. */
  readonly opensearch: ComponentStatus;
}

/** A first-time Maven fetch holds the lock for a while; waiting callers give up after this. */
const LOCK_TIMEOUT_MS = 10 * 60_000;

function components(paths: InfraPaths): readonly [kafka: InfraComponent, s3: InfraComponent] {
  return [kafkaComponent(sharedKafkaBroker(paths)), s3Component(paths)];
}

/** Every server infra-local can start, whoever started it: what `infraDown` stops. */
export function managedServers(paths: InfraPaths): readonly ManagedServer[] {
  return [...components(paths), clickhouseServer(paths), openSearchServer(paths)];
}

/**
 * Starts whatever of Kafka and S3Proxy is not running (fetching jars first if needed) and waits
 * until both answer. Idempotent: when both already run and answer it returns at once.
 */
export async function infraUp(options: InfraUpOptions = {}): Promise<InfraEnv> {
  const log = options.log ?? (() => undefined);
  const paths = infraPaths();
  const all = components(paths);
  if (await allOursAndAnswering(all)) return localInfraEnv();

  const onWait = (pid: number): void => log(`waiting for process ${pid}, which is starting or stopping local infra`);
  return withRunLock(paths.lockFile, { timeoutMs: LOCK_TIMEOUT_MS, onWait }, async () => {
    const startedAt = Date.now();
    const toStart = all.filter((component) => runningPid(component.pidFile, component.marker) === undefined);
    // Where each started server's log lines begin, so errors quote this run and not an old one.
    const logStarts = new Map<ManagedServer, LogRef[]>();
    if (toStart.length > 0) {
      const java = findJava();
      await checkJavaVersion(java);
      for (const component of toStart) {
        removePidFile(component.pidFile);
        await assertPortsFree(component);
      }
      const artifacts = await ensureArtifacts(paths, { log });
      for (const component of toStart) {
        log(`starting ${component.title} (log: ${component.logFiles[0] ?? ''})`);
        logStarts.set(component, component.logFiles.map((path) => ({ path, fromByte: fileSize(path) })));
        startDetached(await component.prepare(java, artifacts), component.pidFile);
      }
    }
    await waitForAll(all, logStarts);
    if (toStart.length > 0) log(`local infra ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    return localInfraEnv();
  });
}

/** Stops every server infra-local started: Kafka, S3Proxy and, if running, ClickHouse and OpenSearch. Idempotent. */
export async function infraDown(options: InfraDownOptions = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  const paths = infraPaths();
  // ClickHouse and OpenSearch are stopped here rather than through their own *Down, which would wait for the lock held right here.
  await withRunLock(paths.lockFile, { timeoutMs: LOCK_TIMEOUT_MS }, async () => {
    await Promise.all(managedServers(paths).map((server) => stopServer(server, { log, wipe: options.wipe === true })));
  });
}

/** Whether each server's process is alive and whether it answers, without changing anything. */
export async function infraStatus(): Promise<InfraStatus> {
  const paths = infraPaths();
  const [kafka, s3] = components(paths);
  const [kafkaStatus, s3Status, clickhouseStatus, opensearchStatus] = await Promise.all([
    componentStatus(kafka),
    componentStatus(s3),
    componentStatus(clickhouseServer(paths)),
    componentStatus(openSearchServer(paths)),
  ]);
  return { kafka: kafkaStatus, s3: s3Status, clickhouse: clickhouseStatus, opensearch: opensearchStatus };
}
