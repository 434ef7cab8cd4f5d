// The local ClickHouse: Debian's clickhouse-server binary run as a plain process with its own config in .run/clickhouse.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderClickHouseConfig, renderClickHouseUsers } from './clickhouse-config.js';
import type { ManagedServer } from './infra-component.js';
import { CLICKHOUSE_HTTP_PORT, CLICKHOUSE_TCP_PORT, LOCAL_HOST, localClickHouseUrl } from './infra-env.js';
import { InfraError } from './infra-error.js';
import type { InfraPaths } from './infra-paths.js';
import type { LaunchSpec } from './process-control.js';
import { probeClickHouse } from './readiness.js';
import { isExecutableFile, pathLookup } from './toolchain.js';
import type { ExecutableLookup } from './toolchain.js';

/** Debian installs the server in /usr/sbin, which is not on an ordinary user's PATH. */
export const CLICKHOUSE_FALLBACK_PATHS = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'] as const;

export interface ClickHouseFiles {
  readonly config: string;
  readonly users: string;
  readonly dataDir: string;
  readonly tmpDir: string;
  readonly userFilesDir: string;
  readonly formatSchemaDir: string;
  readonly logFile: string;
  readonly errorLogFile: string;
  /** stdout/stderr: the few lines written before the logger is set up (e.g. a bad config). */
  readonly consoleFile: string;
  readonly pidFile: string;
}

export interface ClickHouseServer extends ManagedServer {
  readonly name: 'clickhouse';
  /** Writes config.xml and users.xml and creates the folders; returns how to launch `binary`. */
  prepare(binary: string): LaunchSpec;
}

export function clickhouseFiles(paths: InfraPaths): ClickHouseFiles {
  const dir = paths.clickhouseRunDir;
  return {
    config: join(dir, 'config.xml'),
    users: join(dir, 'users.xml'),
    dataDir: join(dir, 'data'),
    tmpDir: join(dir, 'tmp'),
    userFilesDir: join(dir, 'user_files'),
    formatSchemaDir: join(dir, 'format_schemas'),
    logFile: join(dir, 'clickhouse.log'),
    errorLogFile: join(dir, 'clickhouse.err.log'),
    consoleFile: join(dir, 'clickhouse-console.log'),
    pidFile: join(dir, 'clickhouse.pid'),
  };
}

/** The config path is the marker too: no other clickhouse-server on this machine runs with it. */
export function clickhouseLaunchArgs(files: ClickHouseFiles): string[] {
  return [`--config-file=${files.config}`];
}

export interface ClickHouseLookupOptions {
  readonly lookup?: ExecutableLookup;
  readonly isExecutable?: (path: string) => boolean;
}

/** PATH first, then Debian's /usr/sbin; throws INFRA_CLICKHOUSE_MISSING with the install command. */
export function findClickHouseServer(options: ClickHouseLookupOptions = {}): string {
  const { lookup = pathLookup(), isExecutable = isExecutableFile } = options;
  const found = lookup('clickhouse-server') ?? CLICKHOUSE_FALLBACK_PATHS.find((path) => isExecutable(path));
  if (found === undefined) {
    throw new InfraError(
      'INFRA_CLICKHOUSE_MISSING',
      'ClickHouse is needed as a real HTTP receiver for the end-to-end tests, but no `clickhouse-server` was found on PATH or in /usr/sbin. ' +
        'Install it with `sudo apt-get install clickhouse-server` (Debian/Ubuntu), then run this again; or set CLICKHOUSE_URL to a ClickHouse you already run.',
    );
  }
  return found;
}

export function clickhouseServer(paths: InfraPaths): ClickHouseServer {
  const files = clickhouseFiles(paths);
  const url = localClickHouseUrl();
  return {
    name: 'clickhouse',
    title: `ClickHouse on ${url}`,
    address: url,
    addressEnv: 'CLICKHOUSE_URL',
    host: LOCAL_HOST,
    ports: [CLICKHOUSE_HTTP_PORT, CLICKHOUSE_TCP_PORT],
    pidFile: files.pidFile,
    logFiles: [files.logFile, files.errorLogFile, files.consoleFile],
    marker: files.config,
    dataDirs: [files.dataDir, files.tmpDir],
    // Measured: 18.16 answers /ping about 0.2 s after it starts; the margin is for a first start on a slow disk.
    readyTimeoutMs: 30_000,
    // It takes about 2 s to shut down cleanly after SIGTERM.
    stopGraceMs: 15_000,
    probe: () => probeClickHouse(url),
    prepare(binary) {
      for (const folder of [files.dataDir, files.tmpDir, files.userFilesDir, files.formatSchemaDir]) mkdirSync(folder, { recursive: true });
      writeFileSync(files.users, renderClickHouseUsers());
      writeFileSync(
        files.config,
        renderClickHouseConfig({ ...files, host: LOCAL_HOST, httpPort: CLICKHOUSE_HTTP_PORT, tcpPort: CLICKHOUSE_TCP_PORT }),
      );
      return { command: binary, args: clickhouseLaunchArgs(files), cwd: files.dataDir, consoleFile: files.consoleFile };
    },
  };
}
