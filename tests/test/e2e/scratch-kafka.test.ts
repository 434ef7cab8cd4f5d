// A scratch Kafka broker on real Java: records survive a clean stop and a crash, clients fail while it is down,
// dispose deletes its directory, and one left undisposed dies with the process that started it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { ScratchKafka } from '@sluice/infra-local';
import { createKafkaClient } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { runTag, waitUntil, withScratchKafka } from '../../src/index.js';

const TOPIC = 'scratch-e2e';
const logger = createLogger({ name: 'e2e-scratch-kafka', level: 'warn' });
const disposals: ScratchKafka[] = [];

after(async () => {
  for (const scratch of disposals) await scratch.dispose();
});

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function produce(kafka: Kafka, values: readonly string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic: TOPIC, acks: -1, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

/** Every value in the topic, in order (one partition), read by a new consumer group from the beginning. */
async function readAll(kafka: Kafka, expected: number): Promise<string[]> {
  const values: string[] = [];
  const consumer = kafka.consumer({ groupId: `scratch-read-${runTag()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        values.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    await waitUntil(`${expected} messages read back`, () => values.length >= expected, 30_000);
  } finally {
    await consumer.disconnect();
  }
  return values;
}

async function endOffset(kafka: Kafka): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(TOPIC))[0]?.high;
  } finally {
    await admin.disconnect();
  }
}

/** An admin client that gives up at once, so "the broker is down" is a quick answer. */
async function adminConnects(brokers: string): Promise<boolean> {
  const admin = new Kafka({ clientId: 'scratch-probe', brokers: [brokers], logLevel: logLevel.NOTHING, connectionTimeout: 1_000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Whether anything accepts TCP connections on the broker's `host:port`. */
async function accepts(brokers: string): Promise<boolean> {
  const [host = '', port = ''] = brokers.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function values(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `m${from + i}`);
}

test('a scratch broker keeps its records across a clean stop and a crash, and dispose deletes its directory', async (t) => {
  let startedAt = Date.now();
  const scratch = await withScratchKafka('e2e');
  disposals.push(scratch);
  t.diagnostic(`first start (format + start + ready): ${seconds(startedAt)}`);
  assert.ok(scratch.dir.startsWith(join(tmpdir(), 'sluice-scratch-e2e-')), scratch.dir);
  assert.ok(existsSync(join(scratch.dir, 'kafka.pid')), 'the pid file is in the directory');

  const kafka = createKafkaClient({ brokers: [scratch.brokers], clientId: 'e2e-scratch', logger });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 1 }] });
  await admin.disconnect();
  await produce(kafka, values(0, 10));

  startedAt = Date.now();
  await scratch.stop();
  t.diagnostic(`clean stop: ${seconds(startedAt)}`);
  assert.equal(await accepts(scratch.brokers), false, 'nothing listens on the broker port');
  assert.equal(await adminConnects(scratch.brokers), false, 'an admin client cannot connect');

  startedAt = Date.now();
  await scratch.start();
  t.diagnostic(`restart after a clean stop: ${seconds(startedAt)}`);
  assert.equal(await endOffset(kafka), '10');
  await produce(kafka, values(10, 5));
  assert.deepEqual(await readAll(kafka, 15), values(0, 15));

  startedAt = Date.now();
  await scratch.stop({ kill: true });
  t.diagnostic(`crash (SIGKILL): ${seconds(startedAt)}`);
  assert.equal(await adminConnects(scratch.brokers), false, 'an admin client cannot connect after the crash');
  startedAt = Date.now();
  await scratch.start();
  t.diagnostic(`restart after a crash: ${seconds(startedAt)}`);
  assert.equal(await endOffset(kafka), '15');

  await scratch.dispose();
  assert.equal(existsSync(scratch.dir), false, 'dispose deletes the directory');
  await scratch.dispose();
  await assert.rejects(scratch.start(), (error: Error & { code?: string }) => error.code === 'INFRA_DISPOSED');
});

test('a scratch broker left undisposed is killed when the process that started it exits', async () => {
  const dir = join(tmpdir(), `sluice-scratch-orphan-${runTag()}`);
  after(() => rmSync(dir, { recursive: true, force: true }));
  // The child resolves @sluice/infra-local from the tests workspace, as this file does.
  const cwd = fileURLToPath(new URL('../../../', import.meta.url));
  const script = [
    "import { startScratchKafka } from '@sluice/infra-local';",
    `const scratch = await startScratchKafka({ dir: ${JSON.stringify(dir)} });`,
    'console.log(scratch.brokers);',
  ].join('\n');
  const brokers = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout.trim());
      else reject(new Error(`the child failed: ${error.message}\n${stderr}`));
    });
  });
  const pid = Number(readFileSync(join(dir, 'kafka.pid'), 'utf8').trim());
  // A JVM's main thread can show as a zombie while its other threads, which hold the sockets, still exit.
  await waitUntil(`broker process ${pid} gone and ${brokers} closed`, async () => isGone(pid) && !(await accepts(brokers)), 10_000);
});

/** Gone, or a zombie nobody has reaped yet (the broker's parent exited, so whoever adopted it reaps it). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}
