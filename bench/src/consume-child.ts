// The consume ceiling: the same records read with the same client and settings, by as many consumers (one per
// worker thread, one group) as the pusher has threads, and nothing else done.
// Run as: node consume-child.js <topic> <startOffsetsJson> <expectedMessages> [consumers]
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CONSUMER_FETCH_SETTINGS, createKafkaClient, parseBrokers } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';

interface Setup {
  topic: string;
  starts: Record<string, string>;
  groupId: string;
}
/** A thread's progress: the partition, the last offset of the batch just read, and the bytes of its values. */
interface Read {
  partition: number;
  last: number;
  messages: number;
  bytes: number;
  at: number;
}

if (isMainThread) {
  const [topic = '', startJson = '{}', expectedText = '0', consumersText = '1'] = process.argv.slice(2);
  const setup: Setup = { topic, starts: JSON.parse(startJson) as Record<string, string>, groupId: `bench-ceiling-${Date.now()}` };
  const expected = Number(expectedText);
  const consumers = Number(consumersText);
  // Counted by position, not by message: a partition moved at a rebalance is read again by its new owner, and counting
  // those twice would flatter the ceiling.
  const reached = new Map<number, number>();
  let messages = 0;
  let bytes = 0;
  let firstAt = 0;
  const threads: Worker[] = [];
  const endAt = await new Promise<number>((resolve, reject) => {
    for (let i = 0; i < consumers; i++) {
      const thread = new Worker(new URL(import.meta.url), { workerData: setup });
      thread.on('error', reject);
      thread.on('message', (read: Read) => {
        if (firstAt === 0 || read.at < firstAt) firstAt = read.at;
        messages += read.messages;
        bytes += read.bytes;
        reached.set(read.partition, Math.max(reached.get(read.partition) ?? -1, read.last));
        let seen = 0;
        for (const [partition, last] of reached) seen += last + 1 - Number(setup.starts[String(partition)] ?? 0);
        if (seen >= expected) resolve(performance.timeOrigin + performance.now());
      });
      threads.push(thread);
    }
  });
  const seconds = (endAt - firstAt) / 1000;
  // `messages` and `bytes` include re-reads; their ratio is still the average record size.
  process.stdout.write(`${JSON.stringify({ seconds, messages: expected, bytes: Math.round((bytes / messages) * expected), consumers })}\n`);
  await Promise.all(threads.map((thread) => thread.terminate()));
  process.exit(0);
} else {
  const { topic, starts, groupId } = workerData as Setup;
  // The same client the services use, so the ceiling is measured with their TLS and SASL settings too.
  const kafka = createKafkaClient({ brokers: parseBrokers(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'), clientId: 'bench-consume', logger: createLogger({ name: 'bench-consume', level: 'warn' }) });
  const consumer = kafka.consumer({ groupId, ...CONSUMER_FETCH_SETTINGS });
  await consumer.connect();
  await consumer.subscribe({ topic });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [partition, offset] of Object.entries(starts)) consumer.seek({ topic, partition: Number(partition), offset });
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const at = performance.timeOrigin + performance.now();
      let bytes = 0;
      for (const message of batch.messages) {
        bytes += message.value?.length ?? 0;
        payload.resolveOffset(message.offset);
      }
      const last = batch.messages.at(-1);
      if (last !== undefined) parentPort?.postMessage({ partition: batch.partition, last: Number(last.offset), messages: batch.messages.length, bytes, at } satisfies Read);
      await Promise.resolve();
    },
  });
}
