// The consume ceiling: the same records read with the same client and settings, and nothing else done.
// Run as: node consume-child.js <topic> <startOffsetsJson> <expectedMessages>
import { CONSUMER_FETCH_SETTINGS, createKafkaClient, parseBrokers } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';

const [topic = '', startJson = '{}', expectedText = '0'] = process.argv.slice(2);
const starts = JSON.parse(startJson) as Record<string, string>;
const expected = Number(expectedText);
// The same client the services use, so the ceiling is measured with their TLS and SASL settings too.
const kafka = createKafkaClient({ brokers: parseBrokers(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'), clientId: 'bench-consume', logger: createLogger({ name: 'bench-consume', level: 'warn' }) });
const consumer = kafka.consumer({ groupId: `bench-ceiling-${Date.now()}`, ...CONSUMER_FETCH_SETTINGS });
await consumer.connect();
await consumer.subscribe({ topic });
let seen = 0;
let bytes = 0;
let firstAt = 0;
const done = new Promise<number>((resolve) => {
  void consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      if (firstAt === 0) firstAt = performance.now();
      for (const message of batch.messages) {
        seen++;
        bytes += message.value?.length ?? 0;
        payload.resolveOffset(message.offset);
      }
      if (seen >= expected) resolve(performance.now());
      await Promise.resolve();
    },
  });
});
consumer.on(consumer.events.GROUP_JOIN, () => {
  for (const [partition, offset] of Object.entries(starts)) consumer.seek({ topic, partition: Number(partition), offset });
});
const endAt = await done;
process.stdout.write(`${JSON.stringify({ seconds: (endAt - firstAt) / 1000, messages: seen, bytes })}\n`);
await consumer.disconnect();
process.exit(0);
