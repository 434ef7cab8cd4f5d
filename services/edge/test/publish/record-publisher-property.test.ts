import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRecordPublisher } from '../../src/publish/record-publisher.js';
import type { RecordPublisher, RecordPublisherOptions } from '../../src/publish/record-publisher.js';
import { capturingLogger, createFakeKafka, message, tempSpoolDir } from './publish-fixtures.js';
import type { FakeKafkaState } from './publish-fixtures.js';

type Step =
  | { readonly kind: 'publish'; readonly count: number; readonly topics: number }
  | { readonly kind: 'kafka'; readonly state: FakeKafkaState }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'restart' };

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('publish' as const), count: fc.integer({ min: 1, max: 25 }), topics: fc.integer({ min: 1, max: 2 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('kafka' as const), state: fc.constantFrom<FakeKafkaState>('up', 'down', 'hang') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 15 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  ),
  { maxLength: 14 },
);

// Hung sends are never released here, so every record must arrive exactly once: a duplicate could
// only come from a timed-out send that Kafka completed later, which this fake never does.
test('any interleaving of publishes, Kafka failures, hangs and restarts delivers every record exactly once, in order per topic', async (t) => {
  await fc.assert(
    fc.asyncProperty(steps, async (script) => {
      const dir = tempSpoolDir(t);
      const kafka = createFakeKafka();
      const options: RecordPublisherOptions = {
        connect: kafka.connect,
        spoolDir: dir,
        logger: capturingLogger().logger,
        batchMaxRecords: 4,
        queueMaxRecords: 6,
        lingerMs: 1,
        sendTimeoutMs: 15,
        retryDelayMs: { initial: 1, max: 4 },
        spoolSegmentMaxBytes: 512,
      };
      let publisher: RecordPublisher = await createRecordPublisher(options);
      const sent: string[] = [];
      let dropped = 0;
      for (const step of script) {
        if (step.kind === 'publish') {
          for (let i = 0; i < step.count; i++) {
            const n = sent.length + 1;
            const m = message(n, n % step.topics === 0 ? 'http_requests' : 'access_requests');
            publisher.publish(m);
            sent.push(`${m.topic}:r${n}`);
          }
        } else if (step.kind === 'kafka') {
          kafka.state = step.state;
        } else if (step.kind === 'wait') {
          await new Promise((resolve) => setTimeout(resolve, step.ms));
        } else {
          // Grace enough for the disk; a hung send is given up on after sendTimeoutMs anyway.
          await publisher.close({ graceMs: 2_000 });
          dropped += publisher.stats().dropped;
          publisher = await createRecordPublisher(options);
        }
      }
      kafka.state = 'up';
      assert.equal(await publisher.drained(10_000), true, 'drained once Kafka is up');
      await publisher.close();
      dropped += publisher.stats().dropped;
      assert.equal(dropped, 0);
      for (const topic of ['http_requests', 'access_requests']) {
        const of = (list: readonly string[]): string[] => list.filter((r) => r.startsWith(`${topic}:`));
        assert.deepEqual(of(kafka.acked), of(sent), `${topic} in order, each once`);
      }
      assert.equal(kafka.acked.length, sent.length);
    }),
    { numRuns: 40 },
  );
});
