// Talks to a running edge gateway the way browsers and tools do, and reads back what it published to Kafka.
import { request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Kafka } from 'kafkajs';
import { createRecordDecoder, topicFor } from '@sluice/schemas';
import type { DatasetName, DatasetRecord } from '@sluice/schemas';
import type { PartitionOffset } from '@sluice/kafka';

export interface GatewayReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The RayID the gateway answered with. */
  readonly rayId: string;
}

/** One request with any Host header (fetch cannot set one). */
export function gatewayRequest(port: number, host: string, path: string, headers: OutgoingHttpHeaders = {}, method = 'GET', body?: string): Promise<GatewayReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), rayId: String(res.headers['cf-ray'] ?? '') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` requests, `concurrency` at a time, in order of issue; `make(i)` builds request i. */
export async function gatewayBurst(count: number, concurrency: number, make: (i: number) => Promise<GatewayReply>): Promise<GatewayReply[]> {
  const replies: GatewayReply[] = new Array<GatewayReply>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        replies[i] = await make(i);
      }
    }),
  );
  return replies;
}

export interface ReadRecordsOptions {
  /** Start here (e.g. the topic's end before the test); the beginning when absent. */
  readonly from?: readonly PartitionOffset[];
  /** Keep only messages whose header `name` has `value` (e.g. the test's zone). */
  readonly header?: readonly [name: string, value: string];
  /** Stop once this holds for the records kept so far. */
  readonly until: (records: readonly DatasetRecord[]) => boolean;
  readonly timeoutMs?: number;
}

/** Decoded records of a dataset's topic, read with a throwaway consumer group. */
export async function readDatasetRecords(kafka: Kafka, dataset: DatasetName, options: ReadRecordsOptions): Promise<DatasetRecord[]> {
  const topic = topicFor(dataset);
  const decode = createRecordDecoder(dataset);
  const records: DatasetRecord[] = [];
  const consumer = kafka.consumer({ groupId: `sluice-test-reader-${Date.now()}-${Math.random().toString(16).slice(2)}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (options.header !== undefined && message.headers?.[options.header[0]]?.toString() !== options.header[1]) return;
        const result = decode(message.value ?? Buffer.alloc(0));
        if (!result.ok) throw new Error(`undecodable ${dataset} record at offset ${message.offset}: ${result.message}`);
        records.push(result.record);
        if (options.until(records)) done();
        await Promise.resolve();
      },
    });
    for (const { partition, offset } of options.from ?? []) consumer.seek({ topic, partition, offset });
    if (options.until(records)) done();
    const timeoutMs = options.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') throw new Error(`read ${records.length} ${dataset} records in ${timeoutMs} ms without reaching the expected set`);
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** How many records carry each RayID. */
export function countByRayId(records: readonly DatasetRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    const ray = String(record['RayID']);
    counts.set(ray, (counts.get(ray) ?? 0) + 1);
  }
  return counts;
}
