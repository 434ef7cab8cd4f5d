// Test doubles for the live tail: a clock whose time and timers the test moves, a source the test pushes records into, and an SSE reader.
import type { StageMessage } from '@sluice/pipeline';
import { createRecordEncoder, ZONE_ID_HEADER } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import type { TailClock, TailSource, TailSourceFactory } from '../../src/index.js';

export interface FakeClock extends TailClock {
  /** Moves time forward, firing every timer that comes due, in order. */
  advance(ms: number): void;
}

export function fakeClock(startMs = 0): FakeClock {
  let now = startMs;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    after(ms, fn) {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return () => void timers.delete(id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

export interface FakeSources {
  factory: TailSourceFactory;
  /** Every source opened, in order, with what it was opened on. */
  readonly opened: { topic: string; started: boolean; stopped: boolean; push(messages: StageMessage[]): void }[];
}

/** Sources that start at once (or fail with `failWith`) and deliver what the test pushes. */
export function fakeSources(failWith?: Error): FakeSources {
  const opened: FakeSources['opened'] = [];
  return {
    opened,
    factory(topic) {
      let deliver: (messages: readonly StageMessage[]) => void = () => undefined;
      const entry = { topic, started: false, stopped: false, push: (messages: StageMessage[]) => deliver(messages) };
      opened.push(entry);
      const source: TailSource = {
        start(onMessages) {
          if (failWith) return Promise.reject(failWith);
          deliver = onMessages;
          entry.started = true;
          return Promise.resolve();
        },
        stop() {
          entry.stopped = true;
          deliver = () => undefined;
          return Promise.resolve();
        },
      };
      return source;
    },
  };
}

const encode = createRecordEncoder('http_requests');

/** One http_requests record of `zoneId` as the edge publishes it: Avro single-object, the zone in a header. */
export function requestMessage(zoneId: string, fields: DatasetRecord = {}): StageMessage {
  const record: DatasetRecord = {
    _zone_id: zoneId,
    EdgeStartTimestamp: 1_769_860_800_000_000_000n,
    ClientRequestMethod: 'GET',
    ClientRequestHost: 'wiki.example.com',
    ClientRequestURI: '/',
    EdgeResponseStatus: 200,
    RayID: '8f00000000000001',
    ...fields,
  };
  return { value: encode(record), headers: { [ZONE_ID_HEADER]: Buffer.from(zoneId) } };
}

export interface ServerEvent {
  event: string;
  data: Record<string, unknown>;
}

/** The named events of a text/event-stream body (comments dropped). */
export function serverEvents(body: string): ServerEvent[] {
  return body
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => !line.startsWith(':') && line !== ''))
    .filter((lines) => lines.length > 0)
    .map((lines) => ({
      event: (lines.find((l) => l.startsWith('event: ')) ?? 'event: message').slice(7),
      data: JSON.parse((lines.find((l) => l.startsWith('data: ')) ?? 'data: null').slice(6)) as Record<string, unknown>,
    }));
}

/** Lets the microtasks of a started tail (its source's start, the ready event) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
