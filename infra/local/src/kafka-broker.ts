// A Kafka broker: a single KRaft node (broker + controller) run from the Maven jars, on the shared ports or a scratch broker's own.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraComponent } from './infra-component.js';
import { KAFKA_CONTROLLER_PORT, KAFKA_PORT, LOCAL_HOST } from './infra-env.js';
import { InfraError } from './infra-error.js';
import type { InfraPaths } from './infra-paths.js';
import { newClusterId, renderKafkaLog4j, renderServerProperties } from './kafka-config.js';
import { scramFormatArgs } from './kafka-security-config.js';
import type { BrokerSecurityConfig } from './kafka-security-config.js';
import { KAFKA_VERSION } from './maven-artifacts.js';
import type { ArtifactLayout } from './maven-artifacts.js';
import type { LaunchSpec } from './process-control.js';
import { probeKafka } from './readiness.js';

/** Plenty for local tests; G1 keeps pauses short on a small heap. */
export const KAFKA_JVM_OPTIONS = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true'] as const;

/** Where and how one broker runs: the shared one on 9092, or a scratch one a test starts and stops. */
export interface KafkaBrokerSpec {
  /** Names it in messages, e.g. "Kafka 3.9.1 on 127.0.0.1:9092". */
  readonly title: string;
  readonly host: string;
  readonly port: number;
  /** The KRaft controller listener's port. */
  readonly controllerPort: number;
  /** Holds its config, data, logs and pid file. */
  readonly runDir: string;
  readonly jvmOptions: readonly string[];
  /** How long SIGTERM gets before SIGKILL. */
  readonly stopGraceMs: number;
  /** See KafkaConfigInput; unset keeps Kafka's 9 s. */
  readonly brokerSessionTimeoutMs?: number;
  /** Secured listeners beside the PLAINTEXT one (scratch brokers only); their certificates must exist before `prepare`. */
  readonly security?: BrokerSecurityConfig;
}

/** The broker every test and service shares: fixed ports, state under .run/kafka. */
export function sharedKafkaBroker(paths: InfraPaths): KafkaBrokerSpec {
  return {
    title: `Kafka ${KAFKA_VERSION} on ${LOCAL_HOST}:${KAFKA_PORT}`,
    host: LOCAL_HOST,
    port: KAFKA_PORT,
    controllerPort: KAFKA_CONTROLLER_PORT,
    runDir: paths.kafkaRunDir,
    jvmOptions: KAFKA_JVM_OPTIONS,
    stopGraceMs: 30_000,
  };
}

export interface KafkaFiles {
  readonly serverProperties: string;
  readonly log4jProperties: string;
  readonly clusterIdFile: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly consoleFile: string;
  readonly pidFile: string;
}

export function kafkaFiles(runDir: string): KafkaFiles {
  return {
    serverProperties: join(runDir, 'server.properties'),
    log4jProperties: join(runDir, 'log4j.properties'),
    clusterIdFile: join(runDir, 'cluster-id'),
    dataDir: join(runDir, 'data'),
    logFile: join(runDir, 'kafka.log'),
    consoleFile: join(runDir, 'kafka-console.log'),
    pidFile: join(runDir, 'kafka.pid'),
  };
}

/** The server.properties that `prepare` writes for this broker. */
export function brokerServerProperties(broker: KafkaBrokerSpec): string {
  const { host, port, controllerPort, brokerSessionTimeoutMs, security } = broker;
  return renderServerProperties({ host, port, controllerPort, dataDir: kafkaFiles(broker.runDir).dataDir, brokerSessionTimeoutMs, ...(security !== undefined ? { security } : {}) });
}

/** The `java` arguments that run the broker with our config and logging. */
export function kafkaLaunchArgs(files: KafkaFiles, artifacts: ArtifactLayout, jvmOptions: readonly string[] = KAFKA_JVM_OPTIONS): string[] {
  return [
    ...jvmOptions,
    `-Dlog4j.configuration=file:${files.log4jProperties}`,
    '-cp',
    artifacts.kafkaClasspath,
    'kafka.Kafka',
    files.serverProperties,
  ];
}

export function kafkaComponent(broker: KafkaBrokerSpec): InfraComponent {
  const files = kafkaFiles(broker.runDir);
  const address = `${broker.host}:${broker.port}`;
  return {
    name: 'kafka',
    title: broker.title,
    address,
    addressEnv: 'KAFKA_BROKERS',
    host: broker.host,
    ports: [broker.port, broker.controllerPort, ...(broker.security !== undefined ? [broker.security.saslSslPort, broker.security.mtlsPort] : [])],
    pidFile: files.pidFile,
    logFiles: [files.logFile, files.consoleFile],
    marker: files.serverProperties,
    // The cluster id goes too: a fresh data dir must be formatted with a fresh id.
    dataDirs: [files.dataDir, files.clusterIdFile],
    readyTimeoutMs: 90_000,
    stopGraceMs: broker.stopGraceMs,
    probe: () => probeKafka(address),
    prepare: async (java, artifacts) => prepareKafka(java, broker, artifacts),
  };
}

async function prepareKafka(java: string, broker: KafkaBrokerSpec, artifacts: ArtifactLayout): Promise<LaunchSpec> {
  const files = kafkaFiles(broker.runDir);
  mkdirSync(files.dataDir, { recursive: true });
  // Owner-only: with security on it holds the PLAIN users' passwords.
  writeFileSync(files.serverProperties, brokerServerProperties(broker), { mode: 0o600 });
  writeFileSync(files.log4jProperties, renderKafkaLog4j(files.logFile));
  // KRaft refuses to start on an unformatted log dir; formatting is a separate JVM run, so skip it once done.
  if (!existsSync(join(files.dataDir, 'meta.properties'))) {
    await formatStorage(java, files, artifacts, readOrCreateClusterId(files.clusterIdFile), scramFormatArgs(broker.security?.users ?? {}));
  }
  return { command: java, args: kafkaLaunchArgs(files, artifacts, broker.jvmOptions), cwd: files.dataDir, consoleFile: files.consoleFile };
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

async function formatStorage(java: string, files: KafkaFiles, artifacts: ArtifactLayout, clusterId: string, extraArgs: readonly string[]): Promise<void> {
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
    ...extraArgs,
  ];
  await new Promise<void>((resolve, reject) => {
    execFile(java, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error === null) resolve();
      // The command line carries SCRAM passwords: name the failure, not the command.
      else reject(new InfraError('INFRA_KAFKA_FORMAT_FAILED', `formatting Kafka's storage in ${files.dataDir} failed (exit ${String(error.code)})\n${stdout}${stderr}`));
    });
  });
}
