// The local Kafka broker: a single KRaft node (broker + controller) run from the Maven jars.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraComponent } from './infra-component.js';
import { KAFKA_CONTROLLER_PORT, KAFKA_PORT, LOCAL_HOST } from './infra-env.js';
import { InfraError } from './infra-error.js';
import type { InfraPaths } from './infra-paths.js';
import { newClusterId, renderKafkaLog4j, renderServerProperties } from './kafka-config.js';
import { KAFKA_VERSION } from './maven-artifacts.js';
import type { ArtifactLayout } from './maven-artifacts.js';
import type { LaunchSpec } from './process-control.js';
import { probeKafka } from './readiness.js';

/** Plenty for local tests; G1 keeps pauses short on a small heap. */
export const KAFKA_JVM_OPTIONS = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true'] as const;

export interface KafkaFiles {
  readonly serverProperties: string;
  readonly log4jProperties: string;
  readonly clusterIdFile: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly consoleFile: string;
  readonly pidFile: string;
}

export function kafkaFiles(paths: InfraPaths): KafkaFiles {
  const dir = paths.kafkaRunDir;
  return {
    serverProperties: join(dir, 'server.properties'),
    log4jProperties: join(dir, 'log4j.properties'),
    clusterIdFile: join(dir, 'cluster-id'),
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'kafka.log'),
    consoleFile: join(dir, 'kafka-console.log'),
    pidFile: join(dir, 'kafka.pid'),
  };
}

/** The `java` arguments that run the broker with our config and logging. */
export function kafkaLaunchArgs(files: KafkaFiles, artifacts: ArtifactLayout): string[] {
  return [
    ...KAFKA_JVM_OPTIONS,
    `-Dlog4j.configuration=file:${files.log4jProperties}`,
    '-cp',
    artifacts.kafkaClasspath,
    'kafka.Kafka',
    files.serverProperties,
  ];
}

export function kafkaComponent(paths: InfraPaths): InfraComponent {
  const files = kafkaFiles(paths);
  const address = `${LOCAL_HOST}:${KAFKA_PORT}`;
  return {
    name: 'kafka',
    title: `Kafka ${KAFKA_VERSION} on ${address}`,
    address,
    addressEnv: 'KAFKA_BROKERS',
    host: LOCAL_HOST,
    ports: [KAFKA_PORT, KAFKA_CONTROLLER_PORT],
    pidFile: files.pidFile,
    logFiles: [files.logFile, files.consoleFile],
    marker: files.serverProperties,
    // The cluster id goes too: a fresh data dir must be formatted with a fresh id.
    dataDirs: [files.dataDir, files.clusterIdFile],
    readyTimeoutMs: 90_000,
    stopGraceMs: 30_000,
    probe: () => probeKafka(address),
    prepare: async (java, artifacts) => prepareKafka(java, files, artifacts),
  };
}

async function prepareKafka(java: string, files: KafkaFiles, artifacts: ArtifactLayout): Promise<LaunchSpec> {
  mkdirSync(files.dataDir, { recursive: true });
  writeFileSync(files.serverProperties, renderServerProperties({ host: LOCAL_HOST, port: KAFKA_PORT, controllerPort: KAFKA_CONTROLLER_PORT, dataDir: files.dataDir }));
  writeFileSync(files.log4jProperties, renderKafkaLog4j(files.logFile));
  // KRaft refuses to start on an unformatted log dir; formatting is a separate JVM run, so skip it once done.
  if (!existsSync(join(files.dataDir, 'meta.properties'))) {
    await formatStorage(java, files, artifacts, readOrCreateClusterId(files.clusterIdFile));
  }
  return { command: java, args: kafkaLaunchArgs(files, artifacts), cwd: files.dataDir, consoleFile: files.consoleFile };
}

function readOrCreateClusterId(file: string): string {
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (id !== '') return id;
  }
  const id = newClusterId();
  writeFileSync(file, `${id}\n`);
  return id;
}

async function formatStorage(java: string, files: KafkaFiles, artifacts: ArtifactLayout, clusterId: string): Promise<void> {
  const args = [
    `-Dlog4j.configuration=file:${files.log4jProperties}`,
    '-cp',
    artifacts.kafkaClasspath,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    files.serverProperties,
    '--ignore-formatted',
  ];
  await new Promise<void>((resolve, reject) => {
    execFile(java, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error === null) resolve();
      else reject(new InfraError('INFRA_KAFKA_FORMAT_FAILED', `formatting Kafka's storage in ${files.dataDir} failed: ${error.message}\n${stdout}${stderr}`, { cause: error }));
    });
  });
}
