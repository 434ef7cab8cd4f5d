// Splits a batch into one send per topic, keeping each topic's records in their order.
import type { OutgoingRecord } from '@sluice/kafka';
import type { PublishedMessage } from './published-message.js';

export interface TopicGroup<T> {
  readonly topic: string;
  /** In batch order. */
  readonly items: readonly T[];
}

/** Groups in the order their topics first appear. Order across topics carries no meaning in Kafka. */
export function groupByTopic<T>(items: readonly T[], topicOf: (item: T) => string): TopicGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const topic = topicOf(item);
    const group = groups.get(topic);
    if (group) group.push(item);
    else groups.set(topic, [item]);
  }
  return [...groups].map(([topic, grouped]) => ({ topic, items: grouped }));
}

export function toOutgoingRecord(message: PublishedMessage): OutgoingRecord {
  return { value: message.value, key: message.key ?? null, headers: message.headers, timestampMs: message.timestampMs };
}
