// One record on its way to Kafka: what the gateway hands to the publisher, and what the spool stores.

export interface PublishedMessage {
  readonly topic: string;
  /** The already-encoded record (Avro single-object encoding). */
  readonly value: Buffer;
  /** Partition key; the gateway passes the RayID. */
  readonly key?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch; becomes the Kafka record's timestamp. */
  readonly timestampMs: number;
}
