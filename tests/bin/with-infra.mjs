// Runs a command with KAFKA_BROKERS / S3_* pointing at a real Kafka and S3: from the environment,
// from Docker via testcontainers, or from @sluice/infra-local (no Docker), in that order.
// CLICKHOUSE_URL points at a real ClickHouse (a receiver for the HTTP destination): the caller's, or a
// local clickhouse-server started by @sluice/infra-local in every mode. OPENSEARCH_URL likewise points at
// a real OpenSearch (the Elasticsearch destination's receiver): the caller's, or one started here.
//
//   node tests/bin/with-infra.mjs <command> [args...]     (from the repo root, after tsc --build)
//
// SLUICE_INFRA_MODE=env|docker|local forces a mode for Kafka and S3. Containers started here are
// stopped when the command ends; local Kafka and S3 are left running for the next run (stop them with
// the CLI's `infra down`). ClickHouse starts in well under a second and OpenSearch in 5 to 10 s (plus about
// 20 s to fetch its jars the first time), so ones started here are stopped again.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const KAFKA_IMAGE = process.env.SLUICE_KAFKA_IMAGE ?? 'apache/kafka:3.9.1';
// MinIO stopped publishing images in late 2025; a pinned release keeps resolving.
const MINIO_IMAGE = process.env.SLUICE_MINIO_IMAGE ?? 'minio/minio:RELEASE.2025-04-22T22-12-26Z';
const LOCAL_S3 = { S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'sluice-local', S3_SECRET_ACCESS_KEY: 'sluice-local-secret' };

function fail(message) {
  console.error(`with-infra: ${message}`);
  process.exit(2);
}

/** (a) Addresses the caller already exported win; region and keys default to the local ones. */
function fromEnvironment() {
  const { KAFKA_BROKERS, S3_ENDPOINT } = process.env;
  if (!KAFKA_BROKERS && !S3_ENDPOINT) return undefined;
  if (!KAFKA_BROKERS || !S3_ENDPOINT) fail('set both KAFKA_BROKERS and S3_ENDPOINT to use your own Kafka and S3, or neither');
  return {
    KAFKA_BROKERS,
    S3_ENDPOINT,
    S3_REGION: process.env.S3_REGION || LOCAL_S3.S3_REGION,
    S3_ACCESS_KEY_ID: process.env.S3_ACCESS_KEY_ID || LOCAL_S3.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: process.env.S3_SECRET_ACCESS_KEY || LOCAL_S3.S3_SECRET_ACCESS_KEY,
  };
}

/** The Docker runtime when one answers; with none, testcontainers throws within milliseconds. */
async function dockerRuntime() {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    return await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
}

/** (b) apache/kafka and MinIO containers; Kafka gets a fixed host port because it must advertise it. */
async function startContainers(runtime) {
  const { GenericContainer, RandomPortGenerator, Wait } = await import('testcontainers');
  const host = runtime.info.containerRuntime.host;
  const kafkaPort = await new RandomPortGenerator().generatePort();
  const kafka = new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@127.0.0.1:9093',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_NUM_PARTITIONS: '6',
      KAFKA_DEFAULT_REPLICATION_FACTOR: '1',
      KAFKA_MIN_INSYNC_REPLICAS: '1',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_HEAP_OPTS: '-Xms256m -Xmx768m',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(180_000);
  const minio = new GenericContainer(MINIO_IMAGE)
    .withCommand(['server', '/data', '--address', ':9000'])
    .withEnvironment({ MINIO_ROOT_USER: LOCAL_S3.S3_ACCESS_KEY_ID, MINIO_ROOT_PASSWORD: LOCAL_S3.S3_SECRET_ACCESS_KEY })
    .withExposedPorts(9000)
    .withWaitStrategy(Wait.forHttp('/minio/health/ready', 9000))
    .withStartupTimeout(180_000);
  const results = await Promise.allSettled([kafka.start(), minio.start()]);
  const started = results.filter((result) => result.status === 'fulfilled').map((result) => result.value);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.allSettled(started.map((container) => container.stop()));
    throw failure.reason;
  }
  const [, minioStarted] = started;
  const env = {
    KAFKA_BROKERS: `${host}:${kafkaPort}`,
    S3_ENDPOINT: `http://${minioStarted.getHost()}:${minioStarted.getMappedPort(9000)}`,
    ...LOCAL_S3,
  };
  return { env, stop: () => Promise.allSettled(started.map((container) => container.stop())) };
}

async function loadInfraLocal() {
  try {
    return await import('@sluice/infra-local');
  } catch (error) {
    fail(`cannot load @sluice/infra-local (${error.message}); run \`npx tsc --build\` first`);
  }
}

const log = (line) => console.error(`with-infra: ${line}`);

/** (c) A real Kafka and S3Proxy on this machine, started (or found running) by @sluice/infra-local. */
async function startLocal() {
  const infra = await loadInfraLocal();
  return infra.infraUp({ log });
}

/** The caller's CLICKHOUSE_URL, else a local clickhouse-server; `stop` only for one started here. */
async function chooseClickHouse() {
  if (process.env.CLICKHOUSE_URL) return { url: process.env.CLICKHOUSE_URL, stop: undefined };
  const infra = await loadInfraLocal();
  const { url, started } = await infra.clickhouseUp({ log });
  return { url, stop: started ? () => infra.clickhouseDown({ log }) : undefined };
}

/** The caller's OPENSEARCH_URL, else a local OpenSearch node; `stop` only for one started here. */
async function chooseOpenSearch() {
  if (process.env.OPENSEARCH_URL) return { url: process.env.OPENSEARCH_URL, stop: undefined };
  const infra = await loadInfraLocal();
  const { url, started } = await infra.opensearchUp({ log });
  return { url, stop: started ? () => infra.opensearchDown({ log }) : undefined };
}

async function chooseInfra() {
  const forced = process.env.SLUICE_INFRA_MODE;
  if (forced && !['env', 'docker', 'local'].includes(forced)) fail(`SLUICE_INFRA_MODE must be env, docker or local, not ${forced}`);
  const fromEnv = forced === undefined || forced === 'env' ? fromEnvironment() : undefined;
  if (fromEnv) return { mode: 'Kafka and S3 from the environment', env: fromEnv, stop: undefined };
  if (forced === 'env') fail('SLUICE_INFRA_MODE=env needs KAFKA_BROKERS and S3_ENDPOINT');
  const runtime = forced === 'local' ? undefined : await dockerRuntime();
  if (runtime) {
    const { env, stop } = await startContainers(runtime);
    return { mode: `Kafka (${KAFKA_IMAGE}) and MinIO in Docker via testcontainers`, env, stop };
  }
  if (forced === 'docker') fail('SLUICE_INFRA_MODE=docker but no Docker engine answers');
  return { mode: 'local Kafka and S3Proxy from @sluice/infra-local (no Docker)', env: await startLocal(), stop: undefined };
}

function run(command, env) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', (error) => {
      console.error(`with-infra: cannot run ${command[0]}: ${error.message}`);
      resolve(127);
    });
    child.once('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
}

const command = process.argv.slice(2);
if (command.length === 0) fail('usage: node tests/bin/with-infra.mjs <command> [args...]');
let infra;
try {
  infra = await chooseInfra();
} catch (error) {
  console.error(`with-infra: could not get Kafka and S3: ${error.code ? `[${error.code}] ` : ''}${error.message}`);
  process.exit(1);
}
let clickhouse;
try {
  clickhouse = await chooseClickHouse();
} catch (error) {
  console.error(`with-infra: could not get ClickHouse: ${error.code ? `[${error.code}] ` : ''}${error.message}`);
  if (infra.stop) await infra.stop();
  process.exit(1);
}
let opensearch;
try {
  opensearch = await chooseOpenSearch();
} catch (error) {
  console.error(`with-infra: could not get OpenSearch: ${error.code ? `[${error.code}] ` : ''}${error.message}`);
  await Promise.allSettled([infra.stop?.(), clickhouse.stop?.()]);
  process.exit(1);
}
console.error(
  `with-infra: ${infra.mode}: KAFKA_BROKERS=${infra.env.KAFKA_BROKERS} S3_ENDPOINT=${infra.env.S3_ENDPOINT} CLICKHOUSE_URL=${clickhouse.url} OPENSEARCH_URL=${opensearch.url}`,
);
const exitCode = await run(command, { ...infra.env, CLICKHOUSE_URL: clickhouse.url, OPENSEARCH_URL: opensearch.url });
for (const stopped of await Promise.allSettled([infra.stop?.(), clickhouse.stop?.(), opensearch.stop?.()])) {
  if (stopped.status === 'rejected') log(`could not stop what was started here: ${stopped.reason?.message ?? stopped.reason}`);
}
process.exit(exitCode);
