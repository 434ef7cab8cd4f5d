// Test doubles for the publisher: an in-memory Kafka whose sends succeed, fail or hang on command, a log catcher, temp spools.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutgoingRecord, RecordProducer } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import type { Logger } from '@sluice/logging';
import type { PublishedMessage } from '../../src/publish/published-message.js';

/** How the fake broker answers: `up` acknowledges, `down` refuses connections and sends, `hang` never answers. */
export type FakeKafkaState = 'up' | 'down' | 'hang';

export interface FakeKafka {
  state: FakeKafkaState;
  /** Overrides `state` for one send, e.g. to fail only one topic or only after some acknowledgements. */
  decide?: (topic: string, records: readonly OutgoingRecord[]) => FakeKafkaState;
  /** A broker refusal for one send (checked before `decide`), e.g. `tooLarge` for sends over a byte limit. */
  refuse?: (topic: string, records: readonly OutgoingRecord[]) => Error | undefined;
  /** `topic:value` of every acknowledged record, in the order Kafka took them. */
  readonly acked: string[];
  /** Sizes of the acknowledged sends. */
  readonly sendSizes: number[];
  connects: number;
  closes: number;
  /** Sends waiting in `hang`: settle them now (a late success or failure). */
  releaseHung(outcome: 'ack' | 'fail'): void;
  readonly connect: () => Promise<RecordProducer>;
}

export function createFakeKafka(state: FakeKafkaState = 'up'): FakeKafka {
  const hung: { ack: () => void; fail: () => void }[] = [];
  const kafka: FakeKafka = {
    state,
    acked: [],
    sendSizes: [],
    connects: 0,
    closes: 0,
    releaseHung(outcome) {
      for (const send of hung.splice(0)) send[outcome]();
    },
    connect() {
      kafka.connects++;
      if (kafka.state === 'down') return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' }));
      if (kafka.state === 'hang') return new Promise<RecordProducer>(() => undefined);
      let open = true;
      return Promise.resolve({
        send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
          const take = (): void => {
            kafka.acked.push(...records.map((r) => `${topic}:${r.value.toString()}`));
            kafka.sendSizes.push(records.length);
          };
          if (!open) return Promise.reject(new Error('producer is closed'));
          const refusal = kafka.refuse?.(topic, records);
          if (refusal !== undefined) return Promise.reject(refusal);
          const now = kafka.decide?.(topic, records) ?? kafka.state;
          if (now === 'down') return Promise.reject(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
          if (now === 'hang') {
            return new Promise<void>((resolve, reject) =>
              hung.push({
                ack: () => {
                  take();
                  resolve();
                },
                fail: () => reject(new Error('request timed out')),
              }),
            );
          }
          take();
          return Promise.resolve();
        },
        close(): Promise<void> {
          open = false;
          kafka.closes++;
          return Promise.resolve();
        },
      });
    },
  };
  return kafka;
}

export interface CapturedLog {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A real logger whose lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  const logger = createLogger({ name: 'test', level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as CapturedLog) } });
  return { logger, lines };
}

export function tempSpoolDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-spool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function message(n: number, topic = 'http_requests'): PublishedMessage {
  return { topic, value: Buffer.from(`r${n}`), key: `ray-${n}`, headers: { 'sluice-test': String(n) }, timestampMs: 1_700_000_000_000 + n };
}

/** `topic:value` of messages `from`..`to` (inclusive), as the fake records them. */
export function expected(from: number, to: number, topic = 'http_requests'): string[] {
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${topic}:r${n}`);
  return out;
}

/** Polls until `condition` holds; tests wait for background work this way and never assert on timing. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Refuses sends whose records add up to more than `maxBytes`, as a broker does (kafkajs's error for MESSAGE_TOO_LARGE). */
export function refuseLargerThan(maxBytes: number): (topic: string, records: readonly OutgoingRecord[]) => Error | undefined {
  return (_topic, records) => {
    const bytes = records.reduce((sum, r) => sum + r.value.length + (typeof r.key === 'string' ? r.key.length : 0), 0);
    return bytes > maxBytes ? brokerError('MESSAGE_TOO_LARGE', 10, 'The request included a message larger than the max message size the server will accept') : undefined;
  };
}

/** A broker's refusal as kafkajs reports it: a KafkaJSProtocolError with `type` and `code`, not retriable. */
export function brokerError(type: string, code: number, text: string): Error {
  return Object.assign(new Error(text), { name: 'KafkaJSProtocolError', type, code, retriable: false });
}
