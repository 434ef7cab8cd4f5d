// startScratchKafka: an extra, disposable broker on its own ports and directory, for tests that stop and restart Kafka mid-traffic.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { findFreePorts } from './free-ports.js';
import type { InfraComponent } from './infra-component.js';
import { LOCAL_HOST } from './infra-env.js';
import { InfraError } from './infra-error.js';
import { infraPaths } from './infra-paths.js';
import { kafkaComponent } from './kafka-broker.js';
import type { KafkaBrokerSpec } from './kafka-broker.js';
import { fileSize } from './log-tail.js';
import { artifactLayout, ensureArtifacts, isFetched, KAFKA_VERSION } from './maven-artifacts.js';
import type { ArtifactLayout } from './maven-artifacts.js';
import { removePidFile, runningPid, startDetached } from './process-control.js';
import { prepareScratchSecurity } from './scratch-kafka-security.js';
import type { ScratchKafkaSecureOptions, ScratchKafkaSecurity } from './scratch-kafka-security.js';
import type { LogRef } from './readiness.js';
import { withRunLock } from './run-lock.js';
import { assertPortsFree, stopServer, waitForAll, waitForPortsClosed } from './server-control.js';
import { checkJavaVersion, findJava } from './toolchain.js';

export interface ScratchKafkaOptions {
  /**
   * Directory for its config, data, logs and pid file (created). Its `kafka.pid` names the broker's
   * process, so a broker whose test process died without `dispose` can still be found and stopped;
   * a later `startScratchKafka` on the same directory stops it first.
   */
  readonly dir: string;
  /** Broker port; the controller uses port + 1 (with `secure`: SASL_SSL port + 2, mTLS port + 3). Default: free ports found at start. */
  readonly port?: number;
  /** Adds a TLS + SASL (PLAIN, SCRAM) listener and a mutual-TLS listener beside the PLAINTEXT one, with their certificates and users. */
  readonly secure?: ScratchKafkaSecureOptions;
  /** Receives progress lines (starting, ready, stopping); silent by default. */
  readonly log?: (line: string) => void;
}

export interface ScratchKafka {
  /** `127.0.0.1:<port>`, for `KAFKA_BROKERS` or a client's `brokers`. */
  readonly brokers: string;
  /** `options.dir`, absolute: `kafka.log` there is the broker's log. */
  readonly dir: string;
  /** With `secure`: the secured listeners' addresses, the CA and client certificate files, the users' passwords. */
  readonly security: ScratchKafkaSecurity | undefined;
  /** Starts (or restarts) the broker with the same data and ports; resolves once it answers metadata requests. */
  start(): Promise<void>;
  /**
   * SIGTERM, then SIGKILL after a 15 s grace; resolves once the process is gone and the port is closed.
   * Data is kept. `kill: true` sends SIGKILL at once, a crash: the next start recovers the logs.
   */
  stop(options?: { readonly kill?: boolean }): Promise<void>;
  /** Stops it and deletes `dir`. Idempotent. */
  dispose(): Promise<void>;
}

/** Smaller than the shared broker's 768 MB: a scratch broker holds one test's few topics. */
export const SCRATCH_KAFKA_JVM_OPTIONS = ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true'] as const;

/** A single-node controlled shutdown takes a second or two; a test should not wait the shared broker's 30 s for a stuck one. */
const SCRATCH_STOP_GRACE_MS = 15_000;

/** A restart after `stop({ kill: true })` waits this long for the crashed broker's registration to lapse (Kafka's default: 9 s). */
const SCRATCH_SESSION_TIMEOUT_MS = 3_000;

/** The lock is shared with infraUp, whose first-time Maven fetch can hold it for minutes. */
const LOCK_TIMEOUT_MS = 10 * 60_000;

const PORT_REMEDY =
  'A scratch broker keeps its ports across restarts; give startScratchKafka another `port`, or none to have two free ones picked.';

/** Where and how a scratch broker in `dir` runs: broker on `port`, controller on `port + 1`. */
export function scratchKafkaBroker(dir: string, port: number): KafkaBrokerSpec {
  if (!Number.isInteger(port) || port < 1 || port > 65_534) {
    throw new InfraError('INFRA_BAD_PORT', `a scratch Kafka needs a port from 1 to 65534 (its controller takes port + 1), not ${String(port)}; example: 29092`);
  }
  return {
    title: `scratch Kafka ${KAFKA_VERSION} on ${LOCAL_HOST}:${port}`,
    host: LOCAL_HOST,
    port,
    controllerPort: port + 1,
    runDir: resolve(dir),
    jvmOptions: SCRATCH_KAFKA_JVM_OPTIONS,
    stopGraceMs: SCRATCH_STOP_GRACE_MS,
    brokerSessionTimeoutMs: SCRATCH_SESSION_TIMEOUT_MS,
  };
}

/**
 * Starts a broker of its own, apart from the shared one on 9092, and resolves once it answers.
 * The broker is SIGKILLed when this process exits without `dispose` (not when it is killed itself).
 */
export async function startScratchKafka(options: ScratchKafkaOptions): Promise<ScratchKafka> {
  const log = options.log ?? (() => undefined);
  const port = options.port ?? (await findFreePorts(LOCAL_HOST, options.secure !== undefined ? 4 : 2));
  const plain = scratchKafkaBroker(options.dir, port);
  const secured = options.secure === undefined ? undefined : await prepareScratchSecurity(plain.runDir, LOCAL_HOST, { saslSslPort: port + 2, mtlsPort: port + 3 }, options.secure);
  const broker: KafkaBrokerSpec = secured === undefined ? plain : { ...plain, security: secured.config };
  const server = kafkaComponent(broker);
  const leftover = runningPid(server.pidFile, server.marker);
  if (leftover !== undefined) {
    log(`stopping the scratch Kafka an earlier process left running in ${broker.runDir} (pid ${leftover})`);
    // Quietly: stopServer would name the new port, and the leftover may listen on another.
    await stopServer(server, { log: () => undefined });
  }

  // `exit` listeners must be synchronous, so this is a crash, not a graceful stop; `dir` stays behind.
  const killOnExit = (): void => {
    const pid = runningPid(server.pidFile, server.marker);
    try {
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    } catch {
      // Gone since the check: nothing to do.
    }
  };
  process.on('exit', killOnExit);

  let launcher: Promise<Launcher> | undefined;
  let disposed = false;
  // One operation at a time: a start racing a stop would leave a pid file for the wrong process.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  const scratch: ScratchKafka = {
    brokers: server.address,
    dir: broker.runDir,
    security: secured?.security,
    start: () =>
      serial(async () => {
        if (disposed) throw new InfraError('INFRA_DISPOSED', `${server.title} in ${broker.runDir} was disposed; start a new one`);
        // Looked up once; a failed lookup (a Maven fetch cut short, say) is tried again by the next start.
        const launch = (): Promise<Launcher> =>
          (launcher ??= prepareLauncher(log).catch((error: unknown) => {
            launcher = undefined;
            throw error;
          }));
        await startBroker(server, launch, log);
      }),
    stop: (stopOptions = {}) =>
      serial(async () => {
        if (disposed) return;
        await stopServer(server, { log, kill: stopOptions.kill === true });
        await waitForPortsClosed(server);
      }),
    dispose: () =>
      serial(async () => {
        if (disposed) return;
        await stopServer(server, { log, kill: true });
        await waitForPortsClosed(server);
        rmSync(broker.runDir, { recursive: true, force: true });
        process.off('exit', killOnExit);
        disposed = true;
      }),
  };

  try {
    await scratch.start();
  } catch (error) {
    // Nothing is left running (waitForAll stops a broker that failed to come up); the logs stay for the error's reader.
    process.off('exit', killOnExit);
    throw error;
  }
  return scratch;
}

/** What launching the broker needs besides its own files. */
interface Launcher {
  readonly java: string;
  readonly artifacts: ArtifactLayout;
}

/** Java and the broker jars, looked up once per scratch broker; a first-time Maven fetch takes infraUp's lock. */
async function prepareLauncher(log: (line: string) => void): Promise<Launcher> {
  const java = findJava();
  await checkJavaVersion(java);
  const paths = infraPaths();
  const layout = artifactLayout(paths);
  const fetched = isFetched(layout.kafkaDir) && isFetched(layout.s3proxyDir);
  const artifacts = fetched
    ? await ensureArtifacts(paths, { log })
    : await withRunLock(paths.lockFile, { timeoutMs: LOCK_TIMEOUT_MS }, () => ensureArtifacts(paths, { log }));
  return { java, artifacts };
}

/** Launches the broker unless ours already runs, then waits until it answers. Ports are checked before Java is looked for. */
async function startBroker(server: InfraComponent, launcher: () => Promise<Launcher>, log: (line: string) => void): Promise<void> {
  const startedAt = Date.now();
  const running = runningPid(server.pidFile, server.marker) !== undefined;
  const logStarts = new Map<InfraComponent, LogRef[]>();
  if (!running) {
    removePidFile(server.pidFile);
    await assertPortsFree(server, PORT_REMEDY);
    log(`starting ${server.title} (log: ${server.logFiles[0] ?? ''})`);
    logStarts.set(server, server.logFiles.map((path) => ({ path, fromByte: fileSize(path) })));
    const { java, artifacts } = await launcher();
    startDetached(await server.prepare(java, artifacts), server.pidFile);
  }
  await waitForAll([server], logStarts);
  if (!running) log(`${server.title} ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}
