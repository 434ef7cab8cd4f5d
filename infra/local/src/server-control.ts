// Steps shared by every managed server: port checks, waiting until ready, status, and stopping.
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedServer } from './infra-component.js';
import { InfraError } from './infra-error.js';
import { killProcess, removePidFile, runningPid, stopProcess } from './process-control.js';
import { isPortOpen, waitForReady } from './readiness.js';
import type { LogRef } from './readiness.js';

export interface ComponentStatus {
  /** Whether the process infra-local started is alive. */
  readonly running: boolean;
  readonly pid: number | undefined;
  /** Whether it answered a real request just now (Kafka metadata, S3 ListBuckets, ClickHouse /ping), whoever runs it. */
  readonly answering: boolean;
  readonly address: string;
  readonly logFile: string;
}

export async function componentStatus(server: ManagedServer): Promise<ComponentStatus> {
  const pid = runningPid(server.pidFile, server.marker);
  return { running: pid !== undefined, pid, answering: await server.probe(), address: server.address, logFile: server.logFiles[0] ?? '' };
}

export async function allOursAndAnswering(servers: readonly ManagedServer[]): Promise<boolean> {
  if (servers.some((server) => runningPid(server.pidFile, server.marker) === undefined)) return false;
  const answers = await Promise.all(servers.map((server) => server.probe()));
  return answers.every(Boolean);
}

/**
 * Throws INFRA_PORT_IN_USE when anything accepts connections on one of the server's ports.
 * `remedy` ends the message; by default it tells how to stop the other server or use it instead.
 */
export async function assertPortsFree(server: ManagedServer, remedy?: string): Promise<void> {
  for (const port of server.ports) {
    if (await isPortOpen(server.host, port)) {
      throw new InfraError(
        'INFRA_PORT_IN_USE',
        `cannot start ${server.title}: port ${port} on ${server.host} is taken by a process infra-local did not start ` +
          `(\`ss -ltnp 'sport = :${port}'\` shows which). ` +
          (remedy ?? `Stop it (for docker compose: \`docker compose -f infra/docker-compose.yml down\`), or point ${server.addressEnv} at it and skip starting it here.`),
      );
    }
  }
}

/** Resolves once none of the server's ports accepts connections; throws INFRA_STOP_FAILED after `timeoutMs`. */
export async function waitForPortsClosed(server: ManagedServer, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of server.ports) {
    while (await isPortOpen(server.host, port)) {
      if (Date.now() >= deadline) {
        throw new InfraError('INFRA_STOP_FAILED', `${server.title} has stopped, but port ${port} on ${server.host} still accepts connections after ${timeoutMs / 1000} s: another process listens there`);
      }
      await sleep(100);
    }
  }
}

/** Waits for every server; ones just started that fail to come up are stopped again, so no half-started server lingers. */
export async function waitForAll(servers: readonly ManagedServer[], justStarted: ReadonlyMap<ManagedServer, readonly LogRef[]>): Promise<void> {
  const results = await Promise.allSettled(
    servers.map(async (server) => {
      try {
        await waitForReady({
          title: server.title,
          probe: server.probe,
          timeoutMs: server.readyTimeoutMs,
          isAlive: () => runningPid(server.pidFile, server.marker) !== undefined,
          logs: justStarted.get(server) ?? server.logFiles.map((path) => ({ path, fromByte: 0 })),
        });
      } catch (error) {
        if (justStarted.has(server)) await stopQuietly(server);
        throw error;
      }
    }),
  );
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

export async function stopQuietly(server: ManagedServer): Promise<void> {
  const pid = runningPid(server.pidFile, server.marker);
  if (pid !== undefined) await stopProcess(pid, { graceMs: server.stopGraceMs }).catch(() => undefined);
  removePidFile(server.pidFile);
}

export interface StopServerOptions {
  /** Also delete its data directories. */
  readonly wipe?: boolean;
  /** SIGKILL at once instead of SIGTERM first: a crash, for tests of what survives one. */
  readonly kill?: boolean;
  readonly log: (line: string) => void;
}

/** SIGTERM (SIGKILL after the grace period) if our process runs; idempotent. Says whether it was running. */
export async function stopServer(server: ManagedServer, options: StopServerOptions): Promise<boolean> {
  const { log } = options;
  const pid = runningPid(server.pidFile, server.marker);
  if (pid !== undefined && options.kill === true) {
    log(`killing ${server.title} (pid ${pid})`);
    await killProcess(pid);
  } else if (pid !== undefined) {
    log(`stopping ${server.title} (pid ${pid})`);
    const how = await stopProcess(pid, { graceMs: server.stopGraceMs });
    if (how === 'killed') log(`${server.title} ignored SIGTERM for ${server.stopGraceMs / 1000} s and was killed`);
  }
  removePidFile(server.pidFile);
  if (options.wipe === true) {
    for (const dir of server.dataDirs) rmSync(dir, { recursive: true, force: true });
    log(`deleted the data of ${server.title}`);
  }
  return pid !== undefined;
}
