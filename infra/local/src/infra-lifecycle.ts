// infraUp, infraDown and infraStatus: start, stop and inspect the local Kafka broker and S3Proxy.
import { rmSync } from 'node:fs';
import type { InfraComponent } from './infra-component.js';
import { localInfraEnv } from './infra-env.js';
import type { InfraEnv } from './infra-env.js';
import { InfraError } from './infra-error.js';
import { infraPaths } from './infra-paths.js';
import type { InfraPaths } from './infra-paths.js';
import { kafkaComponent } from './kafka-broker.js';
import { fileSize } from './log-tail.js';
import { ensureArtifacts } from './maven-artifacts.js';
import { removePidFile, runningPid, startDetached, stopProcess } from './process-control.js';
import { isPortOpen, waitForReady } from './readiness.js';
import type { LogRef } from './readiness.js';
import { withRunLock } from './run-lock.js';
import { s3Component } from './s3-server.js';
import { checkJavaVersion, findJava } from './toolchain.js';

export interface InfraUpOptions {
  /** Receives progress lines (fetching, starting, ready); silent by default. */
  readonly log?: (line: string) => void;
}

export interface InfraDownOptions {
  /** Also delete Kafka's and S3's data (topics, offsets, buckets). Default false: data survives. */
  readonly wipe?: boolean;
  readonly log?: (line: string) => void;
}

export interface ComponentStatus {
  /** Whether the process infra-local started is alive. */
  readonly running: boolean;
  readonly pid: number | undefined;
  /** Whether it answered a real request just now (Kafka metadata, S3 ListBuckets), whoever runs it. */
  readonly answering: boolean;
  readonly address: string;
  readonly logFile: string;
}

export interface InfraStatus {
  readonly kafka: ComponentStatus;
  readonly s3: ComponentStatus;
}

/** A first-time Maven fetch holds the lock for a while; waiting callers give up after this. */
const LOCK_TIMEOUT_MS = 10 * 60_000;

function components(paths: InfraPaths): readonly [kafka: InfraComponent, s3: InfraComponent] {
  return [kafkaComponent(paths), s3Component(paths)];
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
    const logStarts = new Map<InfraComponent, LogRef[]>();
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

/** Stops both servers (SIGTERM, then SIGKILL after a grace period). Idempotent. */
export async function infraDown(options: InfraDownOptions = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  const paths = infraPaths();
  await withRunLock(paths.lockFile, { timeoutMs: LOCK_TIMEOUT_MS }, async () => {
    await Promise.all(
      components(paths).map(async (component) => {
        const pid = runningPid(component.pidFile, component.marker);
        if (pid !== undefined) {
          log(`stopping ${component.title} (pid ${pid})`);
          const how = await stopProcess(pid, { graceMs: component.stopGraceMs });
          if (how === 'killed') log(`${component.title} ignored SIGTERM for ${component.stopGraceMs / 1000} s and was killed`);
        }
        removePidFile(component.pidFile);
        if (options.wipe === true) {
          for (const dir of component.dataDirs) rmSync(dir, { recursive: true, force: true });
          log(`deleted the data of ${component.title}`);
        }
      }),
    );
  });
}

/** Whether each server's process is alive and whether it answers, without changing anything. */
export async function infraStatus(): Promise<InfraStatus> {
  const [kafka, s3] = components(infraPaths());
  const [kafkaStatus, s3Status] = await Promise.all([componentStatus(kafka), componentStatus(s3)]);
  return { kafka: kafkaStatus, s3: s3Status };
}

async function componentStatus(component: InfraComponent): Promise<ComponentStatus> {
  const pid = runningPid(component.pidFile, component.marker);
  return { running: pid !== undefined, pid, answering: await component.probe(), address: component.address, logFile: component.logFiles[0] ?? '' };
}

async function allOursAndAnswering(all: readonly InfraComponent[]): Promise<boolean> {
  if (all.some((component) => runningPid(component.pidFile, component.marker) === undefined)) return false;
  const answers = await Promise.all(all.map((component) => component.probe()));
  return answers.every(Boolean);
}

async function assertPortsFree(component: InfraComponent): Promise<void> {
  for (const port of component.ports) {
    if (await isPortOpen(component.host, port)) {
      throw new InfraError(
        'INFRA_PORT_IN_USE',
        `cannot start ${component.title}: port ${port} on ${component.host} is taken by a process infra-local did not start ` +
          `(\`ss -ltnp 'sport = :${port}'\` shows which). Stop it (for docker compose: \`docker compose -f infra/docker-compose.yml down\`), ` +
          'or point KAFKA_BROKERS / S3_ENDPOINT at it and skip infraUp.',
      );
    }
  }
}

/** Waits for every server; ones just started that fail to come up are stopped again, so no half-started server lingers. */
async function waitForAll(all: readonly InfraComponent[], justStarted: ReadonlyMap<InfraComponent, readonly LogRef[]>): Promise<void> {
  const results = await Promise.allSettled(
    all.map(async (component) => {
      try {
        await waitForReady({
          title: component.title,
          probe: component.probe,
          timeoutMs: component.readyTimeoutMs,
          isAlive: () => runningPid(component.pidFile, component.marker) !== undefined,
          logs: justStarted.get(component) ?? component.logFiles.map((path) => ({ path, fromByte: 0 })),
        });
      } catch (error) {
        if (justStarted.has(component)) await stopQuietly(component);
        throw error;
      }
    }),
  );
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

async function stopQuietly(component: InfraComponent): Promise<void> {
  const pid = runningPid(component.pidFile, component.marker);
  if (pid !== undefined) await stopProcess(pid, { graceMs: component.stopGraceMs }).catch(() => undefined);
  removePidFile(component.pidFile);
}
