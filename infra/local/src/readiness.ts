// Probes that ask Kafka, S3, ClickHouse and OpenSearch real questions, and a poll loop that waits for one with a deadline.
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { Kafka, logLevel } from 'kafkajs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfraError } from './infra-error.js';
import type { InfraEnv } from './infra-env.js';
import { fileSize, tailFile } from './log-tail.js';

/** A group that never has members; describing it only needs a coordinator. */
const PROBE_GROUP = 'sluice-infra-probe';

/** Resolves true when the server answers correctly; never rejects. */
export type Probe = () => Promise<boolean>;

/**
 * Kafka answers when a metadata request (describeCluster) lists a broker and a group coordinator
 * is available. The second check makes the broker create __consumer_offsets now, so the first
 * consumer group in a test does not meet "group coordinator is not available".
 */
export async function probeKafka(brokers: string, timeoutMs = 2_000): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'sluice-infra-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) return false;
    await admin.describeGroups([PROBE_GROUP]);
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** S3 answers when ListBuckets succeeds with the given credentials (so a wrong server or key fails). */
export async function probeS3(env: InfraEnv, timeoutMs = 2_000): Promise<boolean> {
  const client = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
  try {
    await client.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** ClickHouse answers when its HTTP interface's `GET /ping` says `Ok.` (it does only once it can serve queries). */
export async function probeClickHouse(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok && (await response.text()).trim() === 'Ok.';
  } catch {
    return false;
  }
}

/**
 * OpenSearch answers when cluster health is yellow or green: before that, index creation and bulk
 * writes wait or fail. `wait_for_status` lets the server hold the request open for up to a second.
 */
export async function probeOpenSearch(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return false;
    const health = (await response.json()) as { status?: unknown };
    return health.status === 'green' || health.status === 'yellow';
  } catch {
    return false;
  }
}

/** Whether anything accepts TCP connections on host:port. */
export async function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitForReadyOptions {
  /** Names the server in messages, e.g. "Kafka 3.9.1 on 127.0.0.1:9092". */
  readonly title: string;
  readonly probe: Probe;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Checked between probes: a process that died will never answer, so stop waiting at once. */
  readonly isAlive: () => boolean;
  /** Logs to read when it does not come up, main one first; what each gained since `fromByte` is quoted. */
  readonly logs: readonly LogRef[];
}

/** A log file and where the current run's lines start in it (0 for the whole file). */
export interface LogRef {
  readonly path: string;
  readonly fromByte: number;
}

/** Resolves once the probe succeeds; throws INFRA_PROCESS_EXITED or INFRA_READY_TIMEOUT otherwise. */
export async function waitForReady(options: WaitForReadyOptions): Promise<void> {
  const { title, probe, timeoutMs, isAlive, logs } = options;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (!isAlive()) {
      throw new InfraError('INFRA_PROCESS_EXITED', `${title} exited while starting. ${describeLogs(logs)}`);
    }
    if (Date.now() >= deadline) {
      throw new InfraError('INFRA_READY_TIMEOUT', `${title} did not answer within ${Math.round(timeoutMs / 1000)} s. ${describeLogs(logs)}`);
    }
    await sleep(intervalMs);
  }
}

/** "Read <log>; its last lines: ..." for each log that gained lines, or just the main log's name. */
export function describeLogs(logs: readonly LogRef[]): string {
  const written = logs.filter((log) => fileSize(log.path) !== log.fromByte);
  if (written.length === 0) return `Read ${logs[0]?.path ?? 'its log'} (nothing logged yet).`;
  return written.map((log) => `Read ${log.path}; its last lines:\n${tailFile(log.path, 20, log.fromByte)}`).join('\n');
}
