// How many bytes one send to a topic may hold: the topic's `max.message.bytes` as the broker reports it, learned down when it refuses.
import type { PublishedMessage } from '../published-message.js';

export interface MessageLimits {
  /** Bytes the records of one send to `topic` may add up to (as `recordBytes` counts them). */
  maxBytes(topic: string): number;
  /** The topic's `max.message.bytes`, read from the broker (kafka-publisher-thread.ts); ignored once refusals taught a lower one. */
  set(topic: string, maxMessageBytes: number): void;
  /** The broker refused a send we thought fit: halve what we believe. False once at the floor (the record cannot be made to fit). */
  shrink(topic: string): boolean;
}

/** Just under Kafka's default `max.message.bytes` (1,048,588): safe when the topic's own cannot be read. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_000_000;
/** No real broker is set this low; below it, halving again would only mean the broker refuses everything. */
export const MIN_MESSAGE_BYTES = 16 * 1024;
/** Sends are cut at 90% of the limit: `recordBytes` estimates a batch's framing, it does not compute it. */
const SEND_SHARE = 0.9;

export function createMessageLimits(defaultBytes = DEFAULT_MAX_MESSAGE_BYTES): MessageLimits {
  const known = new Map<string, number>();
  const learned = new Set<string>();
  const limitOf = (topic: string): number => known.get(topic) ?? defaultBytes;
  return {
    maxBytes: (topic) => Math.floor(limitOf(topic) * SEND_SHARE),
    set(topic, bytes) {
      if (learned.has(topic) || !Number.isSafeInteger(bytes) || bytes <= 0) return;
      known.set(topic, Math.max(MIN_MESSAGE_BYTES, bytes));
    },
    shrink(topic) {
      const now = limitOf(topic);
      if (now <= MIN_MESSAGE_BYTES) return false;
      learned.add(topic);
      known.set(topic, Math.max(MIN_MESSAGE_BYTES, Math.floor(now / 2)));
      return true;
    },
  };
}

/**
 * A record's share of a produce request, a little over the real figure: value, key, headers, and
 * the record's own framing in a v2 batch (length, attributes, deltas: at most ~20 bytes) with room
 * for each header's varints.
 */
export function recordBytes(message: PublishedMessage): number {
  let bytes = 32 + message.value.length + (message.key === undefined ? 0 : Buffer.byteLength(message.key));
  for (const name in message.headers) bytes += 10 + Buffer.byteLength(name) + Buffer.byteLength(message.headers[name] ?? '');
  return bytes;
}
