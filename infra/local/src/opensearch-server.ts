// The local OpenSearch: one node run by org.codelibs.opensearch's runner from the Maven jars, its state in .run/opensearch.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManagedServer } from './infra-component.js';
import { LOCAL_HOST, OPENSEARCH_HTTP_PORT, OPENSEARCH_TRANSPORT_PORT, localOpenSearchUrl } from './infra-env.js';
import type { InfraPaths } from './infra-paths.js';
import { OPENSEARCH_VERSION } from './maven-artifacts.js';
import type { OpenSearchArtifacts } from './maven-artifacts.js';
import { renderOpenSearchLog4j2, renderOpenSearchYml } from './opensearch-config.js';
import type { LaunchSpec } from './process-control.js';
import { probeOpenSearch } from './readiness.js';

/**
 * Measured here: the heap holds a few test indices with room to spare; the process settles near
 * 350 MB RSS. G1 keeps pauses short; two cores are all the machine has.
 */
export const OPENSEARCH_JVM_OPTIONS = ['-Xms512m', '-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true', '-Dfile.encoding=UTF-8'] as const;
export const OPENSEARCH_MAIN_CLASS = 'org.codelibs.opensearch.runner.OpenSearchRunner';
export const OPENSEARCH_CLUSTER_NAME = 'sluice-local';

export interface OpenSearchFiles {
  /** The runner's base path; node_1/ under it holds the (empty) modules and plugins folders. */
  readonly baseDir: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly logsDir: string;
  readonly logFile: string;
  /** stdout/stderr: the runner's start-up lines and anything the JVM prints before logging starts. */
  readonly consoleFile: string;
  readonly pidFile: string;
}

export interface OpenSearchServer extends ManagedServer {
  readonly name: 'opensearch';
  /** Writes opensearch.yml and log4j2.properties and creates the folders; returns how to launch `java`. */
  prepare(java: string, artifacts: OpenSearchArtifacts): LaunchSpec;
}

export function openSearchFiles(paths: InfraPaths): OpenSearchFiles {
  const dir = paths.opensearchRunDir;
  return {
    baseDir: dir,
    configDir: join(dir, 'config'),
    dataDir: join(dir, 'data'),
    logsDir: join(dir, 'logs'),
    logFile: join(dir, 'logs', 'opensearch.log'),
    consoleFile: join(dir, 'opensearch-console.log'),
    pidFile: join(dir, 'opensearch.pid'),
  };
}

/** The config folder is the marker: no other java process on this machine has it on its command line. */
export function openSearchLaunchArgs(files: OpenSearchFiles, artifacts: OpenSearchArtifacts): string[] {
  return [
    ...OPENSEARCH_JVM_OPTIONS,
    '-cp',
    artifacts.classpath,
    OPENSEARCH_MAIN_CLASS,
    '-numOfNode',
    '1',
    // The runner gives node 1 the port base + 1.
    '-baseHttpPort',
    String(OPENSEARCH_HTTP_PORT - 1),
    '-clusterName',
    OPENSEARCH_CLUSTER_NAME,
    '-basePath',
    files.baseDir,
    '-confPath',
    files.configDir,
    '-dataPath',
    files.dataDir,
    '-logsPath',
    files.logsDir,
  ];
}

export function openSearchServer(paths: InfraPaths): OpenSearchServer {
  const files = openSearchFiles(paths);
  const url = localOpenSearchUrl();
  return {
    name: 'opensearch',
    title: `OpenSearch ${OPENSEARCH_VERSION} on ${url}`,
    address: url,
    addressEnv: 'OPENSEARCH_URL',
    host: LOCAL_HOST,
    ports: [OPENSEARCH_HTTP_PORT, OPENSEARCH_TRANSPORT_PORT],
    pidFile: files.pidFile,
    logFiles: [files.logFile, files.consoleFile],
    marker: files.configDir,
    dataDirs: [files.dataDir],
    // Measured: green about 5 s after the JVM starts on this 2-core machine; the margin is for a cold disk and JIT.
    readyTimeoutMs: 120_000,
    // The runner closes the node from a shutdown hook on SIGTERM, in a second or two.
    stopGraceMs: 20_000,
    probe: () => probeOpenSearch(url),
    prepare(java, artifacts) {
      for (const folder of [files.configDir, files.dataDir, files.logsDir]) mkdirSync(folder, { recursive: true });
      writeFileSync(join(files.configDir, 'opensearch.yml'), renderOpenSearchYml({ host: LOCAL_HOST, transportPort: OPENSEARCH_TRANSPORT_PORT }));
      writeFileSync(join(files.configDir, 'log4j2.properties'), renderOpenSearchLog4j2(files.logFile));
      return { command: java, args: openSearchLaunchArgs(files, artifacts), cwd: files.baseDir, consoleFile: files.consoleFile };
    },
  };
}
