// One running tail: the source's messages through the compiled tail and the sampler to SSE events, until its time limit or its client leaves.
import type { StageMessage } from '@sluice/pipeline';
import type { CompiledTail } from './compile-tail.js';
import type { SseWriter } from './sse-writer.js';
import type { TailClock } from './tail-clock.js';
import { createTailSampler } from './tail-sampler.js';
import type { SampleState } from './tail-sampler.js';
import type { TailSource } from './tail-source.js';

/** Why a tail ended; sent to the client in the `end` event. */
export type TailEndReason = 'time_limit' | 'client_closed' | 'server_closing' | 'source_failed';

export interface TailSessionOptions {
  tail: CompiledTail;
  source: TailSource;
  sse: SseWriter;
  clock: TailClock;
  maxEventsPerSecond: number;
  maxDurationMs: number;
  keepaliveMs: number;
  /** Called once, after the source has stopped. */
  onEnd?: (reason: TailEndReason, counts: TailCounts) => void;
}

export interface TailCounts {
  /** Requests of the zone that passed the filter. */
  matched: number;
  /** Events sent (matched and kept by the sampler). */
  sent: number;
  /** Records that could not be decoded. */
  undecodable: number;
}

export interface TailSession {
  /** Starts the source; the `ready` event follows once it is in place. */
  start(): void;
  /** Ends the tail (idempotent): an `end` event when the client is still there, the source stopped. */
  end(reason: TailEndReason, message?: string): Promise<void>;
}

const END_MESSAGES: Record<TailEndReason, string> = {
  time_limit: 'the tail reached its time limit; start a new one to go on',
  client_closed: 'the client went away',
  server_closing: 'the API is shutting down',
  source_failed: 'the records could not be read from Kafka',
};

export function createTailSession(options: TailSessionOptions): TailSession {
  const { tail, source, sse, clock } = options;
  const counts: TailCounts = { matched: 0, sent: 0, undecodable: 0 };
  const sendSample = (state: SampleState): void => sse.event('sample', JSON.stringify({ sample_rate: state.sampleRate, matched_per_second: state.matchedPerSecond }));
  const sampler = createTailSampler({ maxEventsPerSecond: options.maxEventsPerSecond, now: () => clock.now(), onChange: sendSample });
  const startedAt = clock.now();
  let ending: Promise<void> | undefined;
  let cancelLimit: () => void = () => undefined;
  let cancelKeepalive: () => void = () => undefined;

  const keepalive = (): void => {
    // Rolls the sampler's window too, so that the rate shown falls back to 1 once traffic stops.
    sampler.current();
    sse.comment('keepalive');
    cancelKeepalive = clock.after(options.keepaliveMs, keepalive);
  };

  const onMessages = (messages: readonly StageMessage[]): void => {
    if (ending) return;
    for (const message of messages) {
      const outcome = tail.stage(message);
      if (outcome.kind === 'undecodable') counts.undecodable++;
      if (outcome.kind !== 'event') continue;
      counts.matched++;
      if (!sampler.admit()) continue;
      counts.sent++;
      sse.event('request', outcome.json);
    }
  };

  const session: TailSession = {
    start() {
      cancelLimit = clock.after(options.maxDurationMs, () => void session.end('time_limit'));
      cancelKeepalive = clock.after(options.keepaliveMs, keepalive);
      source.start(onMessages).then(
        () => {
          if (ending) return;
          sse.event(
            'ready',
            JSON.stringify({
              fields: tail.fieldNames,
              max_events_per_second: options.maxEventsPerSecond,
              expires_at: new Date(startedAt + options.maxDurationMs).toISOString(),
              sample_rate: sampler.current().sampleRate,
            }),
          );
        },
        (error: unknown) => void session.end('source_failed', `${END_MESSAGES.source_failed}: ${(error as Error).message}`),
      );
    },
    end(reason, message) {
      ending ??= (async () => {
        cancelLimit();
        cancelKeepalive();
        if (!sse.ended) sse.event('end', JSON.stringify({ reason, message: message ?? END_MESSAGES[reason], ...counts }));
        sse.end();
        await source.stop();
        options.onEnd?.(reason, counts);
      })();
      return ending;
    },
  };
  return session;
}
